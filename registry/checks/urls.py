"""The check pages under /brands/ (next to the brand workspace, whose paths they kept)."""

from django.urls import path

from registry.checks import views

app_name = "checks"

urlpatterns = [
    path("check/", views.check, name="check"),
    path("check/people/", views.people, name="people"),
    path("checks/", views.check_history, name="checks"),
    path("checks/export.csv", views.check_history_csv, name="checks-csv"),
]

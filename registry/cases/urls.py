"""Public pages of the cases app under /cases/: report misuse, follow a report, my reports."""

from django.urls import path

from registry.cases import views

app_name = "cases"

urlpatterns = [
    path("report/", views.report, name="report"),
    path("report/filed/", views.filed, name="filed"),
    path("track/<str:code>/", views.track, name="track"),
    path("mine/", views.mine, name="mine"),
]

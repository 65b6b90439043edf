"""The home page, the dashboard and the staff desk home (public paths "", "dashboard/", "staff/")."""

from django.urls import path

from registry.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("staff/", views.staff_home, name="staff-home"),
]

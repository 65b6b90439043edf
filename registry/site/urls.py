"""The home page, the dashboard and the staff desk home (public paths "", "dashboard/", "staff/")."""

from django.urls import path

from registry.site import views

app_name = "site"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("staff/", views.staff_home, name="staff-home"),
    path("staff/failed-work/", views.failed_work_list, name="failed-work"),
    path("staff/failed-work/retry/", views.failed_work_retry, name="failed-work-retry"),
]

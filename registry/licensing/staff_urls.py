"""Staff pages of the licensing app under /staff/licenses/ (MFA required: accounts.middleware)."""

from django.urls import path

from registry.licensing import views

app_name = "licensing_staff"

urlpatterns = [
    path("", views.staff_licenses, name="list"),
    path("<str:license_id>/terminate/", views.staff_terminate, name="terminate"),
]

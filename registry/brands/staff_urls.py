"""Staff pages of the brands app under /staff/brands/ (MFA required: accounts.middleware)."""

from django.urls import path

from registry.brands import views

app_name = "brands_staff"

urlpatterns = [
    path("", views.staff_organizations, name="list"),
    path("<int:pk>/verify/", views.staff_verify, name="verify"),
]

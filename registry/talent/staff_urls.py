"""Staff pages of the talent app under /staff/talent/ (MFA required: accounts.middleware)."""

from django.urls import path  # noqa: F401

app_name = "talent_staff"

urlpatterns: list = []

"""Staff pages of the licensing app under /staff/licensing/ (MFA required: accounts.middleware)."""

from django.urls import path  # noqa: F401

app_name = "licensing_staff"

urlpatterns: list = []

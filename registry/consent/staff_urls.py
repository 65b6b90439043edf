"""Staff pages of the consent app under /staff/terms/ (MFA required: accounts.middleware)."""

from django.urls import path  # noqa: F401

app_name = "consent_staff"

urlpatterns: list = []

"""Staff pages of the cases app under /staff/cases/ (MFA required: accounts.middleware)."""

from django.urls import path  # noqa: F401

app_name = "cases_staff"

urlpatterns: list = []

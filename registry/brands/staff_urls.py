"""Staff pages of the brands app under /staff/brands/ (MFA required: accounts.middleware)."""

from django.urls import path  # noqa: F401

app_name = "brands_staff"

urlpatterns: list = []

"""/.well-known/ documents published by the licensing app."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

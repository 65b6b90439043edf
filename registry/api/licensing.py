"""API views of the licensing app (thin: they call registry.licensing services and selectors)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

"""API views of the talent app (thin: they call registry.talent services and selectors)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

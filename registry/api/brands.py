"""API views of the brands app (thin: they call registry.brands services and selectors)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

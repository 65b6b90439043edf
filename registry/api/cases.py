"""API views of the cases app (thin: they call registry.cases services and selectors)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

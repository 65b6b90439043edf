"""API views of the consent app (thin: they call registry.consent services and selectors)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

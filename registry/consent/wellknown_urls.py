"""/.well-known/ documents published by the consent app."""

from django.urls import path  # noqa: F401

urlpatterns: list = []

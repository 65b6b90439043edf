"""/.well-known/ documents published by the licensing app: the certificate signing key."""

from django.urls import path

from registry.licensing import views

urlpatterns = [
    path("license-signing-key.json", views.signing_key, name="license-signing-key"),
]

"""Biometric consent and the self-check under /likeness/ (the talent's, her guardian's or estate's)."""

from django.urls import path

from registry.likeness import views

app_name = "likeness"

urlpatterns = [
    path("", views.index, name="index"),
    path("<str:registry_id>/consent/", views.consent, name="consent"),
    path("<str:registry_id>/consent/withdraw/", views.withdraw, name="withdraw"),
    path("<str:registry_id>/consent/<int:pk>/", views.receipt, name="receipt"),
    path("<str:registry_id>/self-check/", views.self_check, name="self-check"),
]

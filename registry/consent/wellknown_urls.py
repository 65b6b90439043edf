"""/.well-known/ documents published by the consent app."""

from django.urls import path

from registry.consent import views

urlpatterns = [
    path("tdmrep.json", views.tdmrep_json, name="tdmrep-json"),
]

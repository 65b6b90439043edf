from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "registry.consent"
    label = "consent"

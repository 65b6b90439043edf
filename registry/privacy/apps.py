from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "registry.privacy"
    label = "privacy"

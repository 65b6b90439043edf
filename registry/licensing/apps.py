from django.apps import AppConfig


class LicensingConfig(AppConfig):
    name = "registry.licensing"
    label = "licensing"

from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "registry.checks"
    label = "checks"

from django.apps import AppConfig


class BrandsConfig(AppConfig):
    name = "registry.brands"
    label = "brands"

from django.apps import AppConfig


class ImporterConfig(AppConfig):
    name = "registry.importer"
    label = "importer"

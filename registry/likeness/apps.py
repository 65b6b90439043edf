from django.apps import AppConfig


class LikenessConfig(AppConfig):
    name = "registry.likeness"
    label = "likeness"
    verbose_name = "Likeness matching"

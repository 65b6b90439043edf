from django.apps import AppConfig


class TalentConfig(AppConfig):
    name = "registry.talent"
    label = "talent"

from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "registry.site"
    label = "site"

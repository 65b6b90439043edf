from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "registry.privacy"
    label = "privacy"

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from registry.privacy import hooks

        autodiscover_modules(hooks.MODULE_NAME)
        hooks.collect()

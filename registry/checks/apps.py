from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "registry.checks"
    label = "checks"

    def ready(self):
        from registry.checks import changes

        # The change feed records signed terms and license facts in the transaction that writes them.
        changes.connect()

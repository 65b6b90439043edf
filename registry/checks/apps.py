from django.apps import AppConfig


class ChecksConfig(AppConfig):
    name = "registry.checks"
    label = "checks"

    def ready(self):
        from registry.checks import changes, invalidation

        # The change feed records signed terms and license facts in the transaction that writes them.
        changes.connect()

        # Cached check facts are replaced whenever a profile, signed version or license is saved or deleted.
        invalidation.connect()

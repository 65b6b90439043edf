from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "registry.core"
    label = "core"
    verbose_name = "Platform"

    def ready(self):
        from django.db.backends.signals import connection_created

        from registry.core.appendonly import allow_flush
        from registry.core.storage import track_rollbacks

        connection_created.connect(allow_flush, dispatch_uid="core-appendonly-allow-flush")
        connection_created.connect(track_rollbacks, dispatch_uid="core-files-follow-transaction")

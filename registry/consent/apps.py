from django.apps import AppConfig


class ConsentConfig(AppConfig):
    name = "registry.consent"
    label = "consent"

    def ready(self):
        from django.db.backends.signals import connection_created

        from registry.consent.dbguard import allow_flush

        connection_created.connect(allow_flush, dispatch_uid="consent-allow-flush")

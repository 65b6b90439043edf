from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "registry.site"
    label = "site"

    def ready(self):
        from registry.core.outbox import work_failed
        from registry.site.failed_work import on_work_failed

        work_failed.connect(on_work_failed, dispatch_uid="site-failed-work-alert")

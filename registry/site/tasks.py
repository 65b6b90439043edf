"""Periodic work of the site layer: the hourly failed-work email to supervisors."""

from celery import shared_task

from registry.site.failed_work import alert_supervisors


@shared_task(name="registry.site.tasks.alert_failed_work")
def alert_failed_work() -> bool:
    return alert_supervisors()

"""Health of the services the app depends on: database, cache and broker."""

import redis
from celery import current_app
from django.conf import settings
from django.db import connection

from registry.core.models import OutboxMessage


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    if not settings.REDIS_URL:
        return "ok (local memory)"
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
    client.ping()
    return "ok"


def check_broker() -> str:
    if current_app.conf.task_always_eager:
        return "ok (eager: tasks run in the web process)"
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=0, timeout=1)
    return "ok"


CHECKS = {"database": check_database, "cache": check_cache, "broker": check_broker}


def service_status() -> tuple[bool, dict[str, str]]:
    results, healthy = {}, True
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:
            healthy = False
            results[name] = f"error: {type(exc).__name__}"
    return healthy, results


def outbox_status() -> tuple[str, int | None]:
    """("ok", 0), ("degraded", N) while N outbox messages are FAILED, ("unknown", None) without a database."""
    try:
        failed = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).count()
    except Exception:
        return "unknown", None
    return ("degraded" if failed else "ok"), failed

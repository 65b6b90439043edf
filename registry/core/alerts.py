"""Operator alerts sent at most once per period, across processes (one row per kind, claimed atomically)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from registry.core.models import OperatorAlert


def claim(key: str, every: timedelta, now: datetime | None = None) -> bool:
    """True for exactly one caller per `every` period (the one who should send the alert now)."""
    now = now or timezone.now()
    if OperatorAlert.objects.filter(key=key, sent_at__lte=now - every).update(sent_at=now):
        return True
    if OperatorAlert.objects.filter(key=key).exists():
        return False
    try:
        with transaction.atomic():
            OperatorAlert.objects.create(key=key, sent_at=now)
    except IntegrityError:  # another process claimed it first
        return False
    return True

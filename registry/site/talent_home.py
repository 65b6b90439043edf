"""The talent's part of the dashboard: what she should do next, each item a link (issue 18).

It lives above the apps (registry.site) because it reads licensing, cases, brands and consent at once; it
only reads what the signed-in user may see: the talent she is and the talent she acts for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from registry.brands.selectors import checks_about
from registry.cases import selectors as case_selectors
from registry.consent import selectors as consent_selectors
from registry.consent.summaries import USE_LABELS
from registry.licensing.models import License, LicenseRequest
from registry.licensing.selectors import requests_for_talent_side
from registry.talent import selectors as talent_selectors

# How far ahead an end date counts as "expiring soon".
EXPIRY_WINDOW = timedelta(days=60)
LIST_LIMIT = 5


@dataclass(frozen=True)
class Expiring:
    """A license or a term of the terms in effect that ends soon."""

    kind: str  # "license" or "term"
    title: str
    ends_on: date
    url: str

    @property
    def days_left(self) -> int:
        return (self.ends_on - timezone.localdate()).days


def _expiring_licenses(talent_ids, today: date) -> list[Expiring]:
    licenses = (
        License.objects.filter(
            talent__in=talent_ids,
            terminated_at__isnull=True,
            valid_until__gte=today,
            valid_until__lte=today + EXPIRY_WINDOW,
        )
        .select_related("organization", "talent")
        .order_by("valid_until", "pk")[:LIST_LIMIT]
    )
    return [
        Expiring(
            "license",
            f"License {lic.license_id} for {lic.organization.name} ({lic.get_use_display().lower()}, "
            f"{lic.talent.stage_name})",
            lic.valid_until,
            reverse("licensing:license", args=[lic.license_id]),
        )
        for lic in licenses
    ]


def _expiring_terms(talent, version, today: date) -> list[Expiring]:
    if version is None:
        return []
    url = reverse("consent:draft", args=[talent.registry_id])
    return [
        Expiring("term", f"Your permission for {USE_LABELS[t.use].lower()}", t.valid_until, url)
        for t in version.terms.all()
        if t.decision == "allow" and t.valid_until and today <= t.valid_until <= today + EXPIRY_WINDOW
    ]


def talent_home(user) -> dict | None:
    """What the talent dashboard shows, or None when the user is neither talent nor acts for any."""
    talent = talent_selectors.talent_for_user(user)
    acted_for = talent_selectors.talent_acted_for(user, scope="view")
    if talent is None and not acted_for.exists():
        return None
    today = timezone.localdate()
    pending = requests_for_talent_side(user, status=LicenseRequest.Status.PENDING)
    context = {
        "talent": talent,
        "pending_requests": list(pending[:LIST_LIMIT]),
        "pending_count": pending.count(),
        "represented": list(acted_for.exclude(pk=talent.pk) if talent else acted_for)[:LIST_LIMIT],
        "expiring": _expiring_licenses(acted_for.values("pk"), today),
        "cases": [],
        "checks": [],
        "drafts": [],
        "version": None,
    }
    if talent is not None:
        version = consent_selectors.version_in_effect(talent, today)
        cases = list(case_selectors.cases_about(talent)[:LIST_LIMIT])
        for case in cases:
            case.public_status = case_selectors.PUBLIC_STATUS[case.status]
        context |= {
            "version": version,
            "drafts": list(consent_selectors.drafts(talent)[:LIST_LIMIT]),
            "cases": cases,
            "checks": checks_about(talent, limit=LIST_LIMIT),
        }
        context["expiring"] = sorted(
            context["expiring"] + _expiring_terms(talent, version, today), key=lambda e: e.ends_on
        )
    return context

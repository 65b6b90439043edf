"""Shared data for the privacy tests: a talent with several of everything, and another talent beside them."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from registry.cases import messaging as case_messaging
from registry.cases.models import Case
from registry.checks import services as check_services
from registry.core.audit import record_access
from registry.licensing import requests as licensing_requests
from registry.talent import profiles as talent_profiles
from tests.cases.helpers import add_reference_photo, file_report, photo, resized_copy, upload
from tests.factories import ADVERTISING_ALLOW, sign_terms

PRIVATE = {
    "legal_name": "Marisol Quintero-Vance",
    "email": "marisol.private@example.org",
    "phone": "+1 555 0142",
    "address": "17 Orchard Row, Springfield",
    "membership_number": "U-777123",
    "bio": "Runway and print since 2015.",
    "representation": "Northlight Models",
}
OTHER_SECRET = "Zebulon-Other-Talent-Legal"
INTERNAL_NOTE = "INTERNAL-NOTE-never-to-the-talent"
OTHER_REPORTER = ("Rufus Whistleblower", "rufus.reporter@example.net")
TODAY = timezone.localdate()


def _request_body(talent, **overrides):
    body = {
        "use": "advertising",
        "modalities": ["image"],
        "territories": ["US"],
        "channels": ["online"],
        "valid_from": (TODAY + timedelta(days=7)).isoformat(),
        "valid_until": (TODAY + timedelta(days=90)).isoformat(),
        "fee": {"amount": "1500.00", "currency": "USD"},
        "product_category": "apparel",
        "description": "Autumn knitwear campaign: studio photos for our online shop in the United States.",
    }
    body.update(overrides)
    return body


def _check(org, brand_user, talent, use="advertising"):
    check_services.run_check(
        {
            "talent": talent.registry_id,
            "use": use,
            "modality": "image",
            "territory": "US",
            "channel": "online",
            "date": TODAY.isoformat(),
        },
        organization=org,
        actor=brand_user,
        source="web",
    )


def populate(talent, *, user, org, brand_user, staff_user, capture, seed: int) -> dict:
    """Several of everything: history, representatives, media, terms, requests, licenses, checks, cases."""
    talent_profiles.update_profile(talent, data={"bio": "Old bio"}, actor=user)
    talent_profiles.update_profile(talent, data={"bio": PRIVATE["bio"] if seed != 2 else "Bio 2"}, actor=user)
    ref = add_reference_photo(talent, photo(seed))
    add_reference_photo(talent, photo(seed + 50))
    v1 = sign_terms(talent, {"advertising": ADVERTISING_ALLOW}, effective_from=date(2026, 1, 1), user=user)
    v2 = sign_terms(
        talent,
        {"advertising": ADVERTISING_ALLOW, "ai_training": {"decision": "deny"}},
        effective_from=date(2026, 6, 1),
        user=user,
    )
    requests = [
        licensing_requests.request_license(
            organization=org,
            actor=brand_user,
            talent_registry_id=talent.registry_id,
            data=_request_body(talent),
        )
        for _ in range(3)
    ]
    license = licensing_requests.approve(request_id=requests[0].pk, actor=user, message="Happy to.")
    licensing_requests.counter(
        request_id=requests[1].pk, actor=user, data={"fee": {"amount": "2500.00", "currency": "USD"}}
    )
    for use in ("advertising", "editorial", "ai_training"):
        _check(org, brand_user, talent, use)
    # A case reported by someone else (evidence matching a reference photo), and one by the talent.
    report, _ = file_report(
        capture,
        urls=[f"https://ads.example.com/fake-{seed}"],
        talent=talent.registry_id,
        reporter_name=OTHER_REPORTER[0],
        reporter_email=OTHER_REPORTER[1],
        files=[upload(resized_copy(photo(seed)), "copy.jpg")],
    )
    case = Case.objects.get(pk=report.case_id)
    case_messaging.add_note(case.pk, actor=staff_user, body=INTERNAL_NOTE)
    case_messaging.message_reporter(case.pk, actor=staff_user, body=f"Public update {seed}: notice drafted.")
    own_report, _ = file_report(
        capture,
        urls=[f"https://video.example.com/clone-{seed}"],
        talent=talent.registry_id,
        relationship="self",
        reporter=user,
        description="A voice clone of me sells supplements.",
    )
    record_access(request=None, actor=staff_user, action="talent.view_private", obj=talent, detail="desk")
    record_access(request=None, actor=staff_user, action="talent.media.display", obj=ref, detail="photo")
    return {
        "versions": [v1, v2],
        "requests": requests,
        "license": license,
        "case": case,
        "own_case": Case.objects.get(pk=own_report.case_id),
        "reference": ref,
    }

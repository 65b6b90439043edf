"""A registry with one of everything verify_integrity checks: signed terms, evidence, notice, certificate."""

from __future__ import annotations

from dataclasses import dataclass

from registry.brands.models import Organization
from registry.cases import workflow
from registry.cases.models import Case, Evidence, Notice, NoticeTemplate, SLAPolicy
from registry.cases.notice_defaults import DEFAULT_SLA, DEFAULT_TEMPLATES
from registry.consent.models import TermVersion
from registry.licensing import requests as licensing_requests
from registry.licensing.models import License
from tests.cases.helpers import file_report, photo, upload
from tests.cases.notice_helpers import send_confirmed_notice
from tests.factories import ADVERTISING_ALLOW, sign_terms
from tests.licensing.conftest import request_body


@dataclass
class World:
    version: TermVersion
    evidence: Evidence
    notice: Notice
    license: License


def seed_desk() -> None:
    """What migrations seed (notice templates, SLA policies): a transactional test that ran before on this
    worker flushed them."""
    for template in DEFAULT_TEMPLATES:
        NoticeTemplate.objects.get_or_create(name=template["name"], defaults=template)
    for priority, hours, days in DEFAULT_SLA:
        SLAPolicy.objects.get_or_create(
            priority=priority, defaults={"triage_hours": hours, "response_days": days}
        )


def build(capture, *, talent, talent_user, brand_owner, staff) -> World:
    seed_desk()
    version = sign_terms(talent, {"advertising": ADVERTISING_ALLOW}, user=talent_user)
    acme = Organization.objects.get(name="Acme Apparel")
    request = licensing_requests.request_license(
        organization=acme, actor=brand_owner, talent_registry_id=talent.registry_id, data=request_body(talent)
    )
    with capture(execute=True):
        license = licensing_requests.approve(request_id=request.pk, actor=talent_user)
    report, _ = file_report(
        capture,
        files=[upload(photo(3))],
        urls=["https://www.instagram.com/p/INTEGRITY1/"],
        talent=talent.registry_id,
    )
    case = Case.objects.get(pk=report.case_id)
    for to in ("triage", "investigating"):
        case = workflow.transition(case.pk, to=to, actor=staff, version=case.version)
    with capture(execute=True):
        notice = send_confirmed_notice(
            case.pk,
            actor=staff,
            version=case.version,
            template_id=NoticeTemplate.objects.get(kind="takedown").pk,
            recipient_name="Instagram IP team",
            recipient_email="ip@instagram.example",
        )
    license.refresh_from_db()
    assert license.certificate
    return World(
        version=version, evidence=Evidence.objects.get(report=report), notice=notice, license=license
    )

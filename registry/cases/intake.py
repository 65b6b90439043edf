"""Intake of misuse reports: validation, who and what they are about, evidence, the tracking code."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from registry.brands.models import Organization
from registry.cases.evidence import PreparedEvidence, prepare_evidence, store_evidence
from registry.cases.models import MisuseReport, Platform, Relationship, hash_tracking_code
from registry.cases.urlnorm import platform_of, validate_content_url
from registry.consent.categories import canonical_category
from registry.consent.vocab import ISO_COUNTRIES, USES
from registry.core.outbox import dispatch
from registry.talent.models import TalentProfile
from registry.talent.registry_ids import canonical_registry_id
from registry.talent.search import normalize_name

MAX_URLS = 20


@dataclass
class ReportInput:
    """A misuse report as typed (web form or API); file_report validates it as a whole."""

    description: str
    relationship: str
    urls: list[str] = field(default_factory=list)
    platform: str = ""
    seen_on: date | None = None
    talent: str = ""
    organization: str = ""
    use: str = ""
    product_category: str = ""
    territory: str = ""
    reporter_name: str = ""
    reporter_email: str = ""
    sensitive: bool = False


def resolve_talent(text: str) -> TalentProfile | None:
    """A registry ID in any Crockford form (must exist), or a stage name (linked when exactly one has it)."""
    text = (text or "").strip()
    if not text:
        return None
    registry_id = canonical_registry_id(text)
    if registry_id is not None:
        talent = TalentProfile.objects.filter(registry_id=registry_id).first()
        if talent is None:
            raise ValidationError(
                {"talent": f"No one in the registry has the ID {registry_id}; check it or give a name."}
            )
        return talent
    matches = list(TalentProfile.objects.filter(search_name=normalize_name(text))[:2])
    return matches[0] if len(matches) == 1 else None


def resolve_organization(text: str) -> Organization | None:
    text = (text or "").strip()
    return Organization.objects.filter(name__iexact=text).first() if text else None


def _clean_report(data: ReportInput, files_given: bool) -> tuple[list[str], dict]:
    errors: dict[str, list[str]] = {}

    def err(name, msg):
        errors.setdefault(name, []).append(msg)

    urls = [u.strip() for u in data.urls if u and u.strip()]
    if len(urls) > MAX_URLS:
        err("urls", f"Give at most {MAX_URLS} URLs in one report.")
    for url in urls[:MAX_URLS]:
        try:
            validate_content_url(url)
        except ValidationError as exc:
            err("urls", exc.messages[0])
    if not urls and not files_given:
        err("urls", "Give the address of the content, or attach a screenshot or photo of it.")
    if len((data.description or "").strip()) < 10:
        err("description", "Describe what you saw in a sentence or two (at least 10 characters).")
    if data.relationship not in Relationship.values:
        err("relationship", "Tell us how you are connected to the person shown.")
    if data.platform and data.platform not in Platform.values:
        err("platform", f"Unknown platform {data.platform!r}.")
    if data.use and data.use not in USES:
        err("use", f"Unknown use {data.use!r}. Known uses: {', '.join(sorted(USES))}.")
    if data.territory and data.territory.upper() not in ISO_COUNTRIES:
        err("territory", "Use a two-letter country code (ISO 3166-1), e.g. US or DE.")
    if data.seen_on and data.seen_on > timezone.localdate():
        err("seen_on", "The date seen cannot be in the future.")
    if data.reporter_email:
        try:
            validate_email(data.reporter_email)
        except ValidationError:
            err("reporter_email", "Enter a valid email address (or leave it empty).")
    return urls[:MAX_URLS], errors


def file_report(
    data: ReportInput,
    files: list | None = None,
    *,
    actor=None,
    ip: str | None = None,
    now: datetime | None = None,
) -> tuple[MisuseReport, str]:
    """Validate and record a misuse report with its evidence; schedule enrichment after commit.

    Returns the report and its tracking code (shown once: only a SHA-256 of it is stored). Raises
    ValidationError with a dict of field errors; nothing is created then.
    """
    now = now or timezone.now()
    urls, errors = _clean_report(data, bool(files))
    talent = None
    try:
        talent = resolve_talent(data.talent)
    except ValidationError as exc:
        errors.setdefault("talent", []).extend(exc.message_dict["talent"])
    prepared: list[PreparedEvidence] = []
    try:
        prepared = prepare_evidence(files or [])
    except ValidationError as exc:
        errors.setdefault("evidence", []).extend(exc.message_dict["evidence"])
    if errors:
        raise ValidationError(errors)

    user = actor if getattr(actor, "is_authenticated", False) else None
    code = secrets.token_urlsafe(32)  # 256 bits
    with transaction.atomic():
        report = MisuseReport.objects.create(
            tracking_hash=hash_tracking_code(code),
            reporter=user,
            reporter_name=(data.reporter_name or (user.display_name if user else "")).strip()[:150],
            reporter_email=(data.reporter_email or (user.email if user else "")).strip().lower(),
            relationship=data.relationship,
            talent=talent,
            talent_text=(data.talent or "").strip()[:200],
            organization=resolve_organization(data.organization),
            organization_text=(data.organization or "").strip()[:200],
            platform=data.platform or (platform_of(urls[0]) if urls else ""),
            use=data.use,
            product_category=product_category(data.product_category),
            territory=(data.territory or "").upper(),
            seen_on=data.seen_on,
            description=data.description.strip(),
            urls=urls,
            sensitive=bool(data.sensitive),
            submitted_ip=ip,
        )
        label = f"reporter of report #{report.pk}" + (f" ({user.email})" if user else "")
        for item in prepared:
            store_evidence(item, case=None, report=report, actor=user, label=label, now=now)
        dispatch("registry.cases.enrichment.enrich_report", report_id=report.pk)
    return report, code


def tracking_url(code: str) -> str:
    return f"{settings.SITE_URL}/cases/track/{code}/"


def product_category(text: str) -> str:
    """What a reporter or staff typed for the product advertised, as a category slug (synonyms resolved:
    "Cigarettes" → tobacco); free text that is no known category is kept as a slug."""
    return slugify(canonical_category(text or ""))[:50].replace("-", "_") if (text or "").strip() else ""

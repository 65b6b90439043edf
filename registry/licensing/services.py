"""State changes of licensing: requests and their thread of offers, licenses, termination, expiry reminders.

Who may do what (DESIGN.md §2–§3):
- the brand (a member of the requesting organization) creates a request, accepts a counter-offer,
  counters back or withdraws;
- the talent, or someone acting for them with authority to answer requests, approves, declines or counters;
- for replica creation/use and AI training only the talent in person (or a guardian or estate) may approve or
  counter — a counter is an offer the brand can accept into a license, so it needs the same consent;
- a minor's answers come from their guardian;
- staff terminate licenses, with a reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.roles import is_staff_member
from registry.consent import vocab
from registry.consent.vocab import PERSONAL_CONSENT_USES
from registry.core.errors import DomainError
from registry.core.mail import send_email
from registry.core.values import SLUG_RE as CATEGORY_RE
from registry.licensing import certificates
from registry.licensing.models import ExpiryReminder, License, LicenseOffer, LicenseRequest
from registry.talent import selectors as talent_selectors

Status = LicenseRequest.Status
MIN_DESCRIPTION_LENGTH = 40
MIN_DESCRIPTION_WORDS = 4
MAX_FEE = Decimal("9999999999.99")
# Blanket grants are the opposite of "a reasonably specific description of the intended use".
BLANKET_PHRASES = (
    "any and all",
    "any purpose",
    "all purposes",
    "any use",
    "all uses",
    "any media",
    "all media",
    "in perpetuity",
    "without limitation",
    "to be determined",
    "tbd",
    "lorem ipsum",
    "whatever",
)
STOPWORDS = frozenset(
    "the and for with our your their from into that this these those will are was were any all use uses "
    "using used some other etc also can may might per via".split()
)
SCOPE_FIELDS = ("modalities", "territories", "channels", "product_category")
OFFER_FIELDS = ("use", *SCOPE_FIELDS, "valid_from", "valid_until", "fee_amount", "fee_currency")


class LicensingError(DomainError):
    """A request the rules refuse (the platform's DomainError: code, detail, field, status)."""

    def __init__(self, code: str, detail: str, *, field: str | None = None, status: int | None = None):
        super().__init__(code, detail, field, status=status)


# --- input ------------------------------------------------------------------------------------------------


@dataclass
class Offer:
    """The scope, period and fee of a request or counter-offer, validated."""

    use: str
    modalities: list[str]
    territories: list[str]
    channels: list[str]
    valid_from: date
    valid_until: date
    fee_amount: Decimal
    fee_currency: str
    product_category: str = ""
    extra: dict = field(default_factory=dict)

    def as_terms(self) -> dict:
        return {
            "use": self.use,
            "modalities": self.modalities,
            "territories": self.territories,
            "channels": self.channels,
            "product_category": self.product_category,
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat(),
            "fee": {"amount": f"{self.fee_amount:.2f}", "currency": self.fee_currency},
        }

    def model_fields(self) -> dict:
        return {name: getattr(self, name) for name in OFFER_FIELDS}


def _vocab(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except vocab.VocabularyError as exc:
        raise LicensingError(exc.code, exc.detail, field=exc.field) from exc


def _list_of(data: dict, name: str, check, **kwargs) -> list[str]:
    values = data.get(name)
    if isinstance(values, str):
        values = [v for v in re.split(r"[\s,]+", values) if v]
    if not isinstance(values, list | tuple) or not values:
        raise LicensingError("required", f"Give at least one value for {name!r} (a list).", field=name)
    cleaned = []
    for value in values:
        try:
            cleaned.append(check(value, **kwargs))
        except vocab.VocabularyError as exc:
            raise LicensingError(exc.code, exc.detail, field=name) from exc
    return sorted(set(cleaned), key=cleaned.index)


def _date(data: dict, name: str) -> date:
    value = data.get(name)
    if isinstance(value, date):
        return value
    if not value:
        raise LicensingError("required", f"Field {name!r} is required (YYYY-MM-DD).", field=name)
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise LicensingError("invalid_date", f"Field {name!r} must be a date in YYYY-MM-DD form.", field=name)


def _fee(data: dict) -> tuple[Decimal, str]:
    fee = data.get("fee")
    if not isinstance(fee, dict):
        raise LicensingError(
            "invalid_fee", "Give the fee as {'amount': '1500.00', 'currency': 'USD'}.", field="fee"
        )
    try:
        amount = Decimal(str(fee.get("amount")))
    except (InvalidOperation, ValueError):
        raise LicensingError("invalid_fee", "The fee amount must be a number such as '1500.00'.", field="fee")
    if not amount.is_finite() or amount < 0 or amount > MAX_FEE or amount != amount.quantize(Decimal("0.01")):
        raise LicensingError(
            "invalid_fee", "The fee amount must be zero or more, with at most two decimals.", field="fee"
        )
    currency = str(fee.get("currency") or "").upper()
    if currency not in vocab.CURRENCIES:
        raise LicensingError(
            "invalid_fee",
            f"Unknown currency {fee.get('currency')!r}. Known: {', '.join(sorted(vocab.CURRENCIES))}.",
            field="fee",
        )
    return amount, currency


def clean_offer(data: dict, *, use: str | None = None, today: date | None = None) -> Offer:
    """Validate the scope, period and fee of an offer. `use` fixes the use (counter-offers keep it)."""
    if not isinstance(data, dict):
        raise LicensingError("invalid", "The body must be a JSON object.")
    today = today or timezone.localdate()
    use = use or _vocab(vocab.check_use, data.get("use"))
    valid_from, valid_until = _date(data, "valid_from"), _date(data, "valid_until")
    if valid_from > valid_until:
        raise LicensingError(
            "invalid_period", "valid_from must be on or before valid_until.", field="valid_until"
        )
    if valid_until < today:
        raise LicensingError("invalid_period", "The period has already ended.", field="valid_until")
    category = str(data.get("product_category") or "").strip()
    if category and not CATEGORY_RE.match(category):
        raise LicensingError(
            "invalid_product_category",
            "product_category must be a lower-case slug such as 'apparel'.",
            field="product_category",
        )
    amount, currency = _fee(data)
    return Offer(
        use=use,
        modalities=_list_of(data, "modalities", vocab.check_modality),
        territories=_list_of(data, "territories", vocab.check_territory, allow_worldwide=True),
        channels=_list_of(data, "channels", vocab.check_channel),
        valid_from=valid_from,
        valid_until=valid_until,
        fee_amount=amount,
        fee_currency=currency,
        product_category=category,
    )


def check_description(description) -> str:
    """A reasonably specific description of the intended use (DESIGN.md §2, §6): long enough, concrete words,
    and no blanket grant ("any and all uses", "in perpetuity")."""
    if description is not None and not isinstance(description, str):
        raise LicensingError("invalid", "Field 'description' must be a string.", field="description")
    text = " ".join((description or "").split())
    words = {w for w in re.findall(r"[a-zA-Z\u00C0-\u024F]{3,}", text.lower()) if w not in STOPWORDS}
    lowered = f" {text.lower()} "
    blanket = [p for p in BLANKET_PHRASES if re.search(rf"\b{re.escape(p)}\b", lowered)]
    if len(text) < MIN_DESCRIPTION_LENGTH or len(words) < MIN_DESCRIPTION_WORDS or blanket:
        reason = (
            f"it uses a blanket phrase ({blanket[0]!r})"
            if blanket
            else f"it needs at least {MIN_DESCRIPTION_LENGTH} characters"
        )
        raise LicensingError(
            "description_too_vague",
            "Describe the intended use reasonably specifically — what will be made, for which campaign or "
            f"product, and where it will run; {reason}.",
            field="description",
        )
    return text[:4000]


# --- authority --------------------------------------------------------------------------------------------


def _require_talent_side(user, request: LicenseRequest, *, personal: bool) -> str:
    """Authority to answer for the talent. `personal`: the answer can become a license (approve, counter)."""
    talent = request.talent
    if not talent_selectors.can_act_for(user, talent, scope="answer_requests"):
        raise LicensingError(
            "not_authorised", "You cannot answer license requests for this talent.", status=403
        )
    acting = talent_selectors.acting_as(user, talent)
    if personal and request.use in PERSONAL_CONSENT_USES and acting not in ("talent", "guardian", "estate"):
        raise LicensingError(
            "personal_consent_required",
            "Replica creation, replica use and AI training need the talent's own consent (or a guardian's or "
            "estate's): a representative cannot give it.",
            status=403,
        )
    if personal and acting == "talent" and talent.is_minor():
        raise LicensingError(
            "guardian_required", "The talent is a minor: their guardian answers license requests.", status=403
        )
    return acting or ""


def _locked(request_id: int) -> LicenseRequest:
    request = (
        LicenseRequest.objects.select_for_update(of=("self",))
        .select_related("talent", "organization", "talent__user")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        raise LicensingError("not_found", "No such license request.", status=404)
    return request


def _expect(request: LicenseRequest, *statuses: str, action: str) -> None:
    if request.status not in statuses:
        raise LicensingError(
            "invalid_state",
            f"Cannot {action} a request that is {request.get_status_display().lower()}.",
            status=409,
        )


def _require_open_period(request: LicenseRequest) -> None:
    if request.valid_until < timezone.localdate():
        raise LicensingError(
            "invalid_period", "The requested period has already ended: counter with a new period.", status=409
        )


def _save_transition(request: LicenseRequest, **changes) -> None:
    """Write the new state only if nobody changed the request since we read it (optimistic lock)."""
    changes["updated_at"] = timezone.now()
    updated = LicenseRequest.objects.filter(
        pk=request.pk, lock_version=request.lock_version, status=request.status
    ).update(lock_version=F("lock_version") + 1, **changes)
    if updated != 1:
        raise LicensingError("conflict", "The request changed meanwhile: reload and try again.", status=409)
    for name, value in changes.items():
        setattr(request, name, value)
    request.lock_version += 1


# --- notifications ----------------------------------------------------------------------------------------


def _talent_recipients(talent) -> list[str]:
    if talent.status != talent.Status.ACTIVE:
        return []  # withdrawn or closed: nobody to notify on the talent side
    emails = []
    if talent.user_id and talent.user.is_active and talent.user.email:
        emails.append(talent.user.email)
    elif talent.email:
        emails.append(talent.email)
    for rep in talent_selectors.active_representatives(talent):
        if (rep.can_answer_requests or rep.kind in talent_selectors.FULL_AUTHORITY_KINDS) and rep.user.email:
            emails.append(rep.user.email)
    return sorted(set(emails))


def _brand_recipients(request: LicenseRequest) -> list[str]:
    from registry.brands.models import Membership

    emails = set(
        Membership.objects.filter(
            organization_id=request.organization_id, role=Membership.Role.OWNER
        ).values_list("user__email", flat=True)
    )
    if request.requested_by_id:
        emails.add(request.requested_by.email)
    return sorted(e for e in emails if e)


def _notify(to: list[str], subject: str, body: str, request: LicenseRequest) -> None:
    if not to:
        return
    link = f"{settings.SITE_URL}/licenses/requests/{request.pk}/"
    send_email(
        subject=f"{subject} (request #{request.pk})", body=f"{body}\n\nOpen the request: {link}", to=to
    )


def _summary(request: LicenseRequest) -> str:
    return (
        f"{request.organization.name} — {request.get_use_display()} of {request.talent.stage_name} "
        f"({request.talent.registry_id}), {', '.join(request.modalities)} "
        f"in {', '.join(request.territories)} on {', '.join(request.channels)}, "
        f"{request.valid_from} to {request.valid_until}, "
        f"fee {request.fee_amount} {request.fee_currency}."
    )


# --- requests ---------------------------------------------------------------------------------------------


@transaction.atomic
def request_license(*, organization, user, talent_registry_id: str, data: dict, today=None) -> LicenseRequest:
    """A brand asks for a license: validated offer, description, first message of the thread, email."""
    from registry.talent.models import TalentProfile

    talent = (
        TalentProfile.objects.select_related("user")
        .filter(registry_id=str(talent_registry_id or "").strip().upper())
        .first()
    )
    if talent is None or not talent.is_registered:
        raise LicensingError("unknown_talent", "No registered talent with this registry ID.", field="talent")
    offer = clean_offer(data, today=today)
    description = check_description(data.get("description"))
    message = data.get("message") or ""
    if not isinstance(message, str):
        raise LicensingError("invalid", "Field 'message' must be a string.", field="message")
    message = message[:2000]
    request = LicenseRequest.objects.create(
        talent=talent,
        organization=organization,
        requested_by=user if getattr(user, "is_authenticated", False) else None,
        description=description,
        **offer.model_fields(),
    )
    LicenseOffer.objects.create(
        request=request,
        kind=LicenseOffer.Kind.REQUEST,
        author=request.requested_by,
        terms=offer.as_terms(),
        message=message,
    )
    _notify(
        _talent_recipients(talent),
        f"New license request from {organization.name}",
        f"{organization.name} asks for a license:\n{_summary(request)}\n\nIntended use: {description}",
        request,
    )
    return request


def _current_offer(request: LicenseRequest) -> Offer:
    return Offer(**{name: getattr(request, name) for name in OFFER_FIELDS})


def _counter_offer(request: LicenseRequest, data: dict) -> Offer:
    current = _current_offer(request).as_terms()
    merged = {
        **current,
        **{k: v for k, v in (data or {}).items() if k in (*current, "fee") and v not in (None, "")},
    }
    offer = clean_offer(merged, use=request.use)
    if offer.as_terms() == current:
        raise LicensingError(
            "counter_unchanged", "A counter-offer must change the fee, the period or the scope."
        )
    return offer


@transaction.atomic
def approve(*, request_id: int, user, message: str = "") -> License:
    """The talent side approves the current offer: the request becomes one immutable, signed license."""
    request = _locked(request_id)
    _require_talent_side(user, request, personal=True)
    _expect(request, Status.PENDING, action="approve")
    _require_open_period(request)
    _save_transition(request, status=Status.APPROVED)
    LicenseOffer.objects.create(
        request=request,
        kind=LicenseOffer.Kind.APPROVE,
        author=user,
        terms=_current_offer(request).as_terms(),
        message=message[:2000],
    )
    license = _issue(request, approved_by=user)
    _notify(
        _brand_recipients(request),
        f"License approved: {license.license_id}",
        f"{request.talent.stage_name} approved your request. "
        f"License {license.license_id}:\n{_summary(request)}",
        request,
    )
    return license


@transaction.atomic
def decline(*, request_id: int, user, message: str = "") -> LicenseRequest:
    request = _locked(request_id)
    _require_talent_side(user, request, personal=False)
    _expect(request, Status.PENDING, Status.COUNTERED, action="decline")
    _save_transition(request, status=Status.DECLINED)
    LicenseOffer.objects.create(
        request=request, kind=LicenseOffer.Kind.DECLINE, author=user, terms={}, message=message[:2000]
    )
    _notify(
        _brand_recipients(request),
        "License request declined",
        f"{request.talent.stage_name} declined your request.\n{_summary(request)}"
        + (f"\n\nMessage: {message}" if message else ""),
        request,
    )
    return request


@transaction.atomic
def counter(*, request_id: int, user, data: dict, organization=None, message: str = "") -> LicenseRequest:
    """A counter-offer changes fee, period or scope and hands the request to the other side.

    The talent side counters a pending request (it goes to the brand). The brand (`organization` given) may
    counter a counter-offer back (it goes to the talent again).
    """
    request = _locked(request_id)
    if organization is not None:
        if organization.pk != request.organization_id:
            raise LicensingError("not_found", "No such license request.", status=404)
        _expect(request, Status.COUNTERED, action="counter")
        next_status, recipients, who = (
            Status.PENDING,
            _talent_recipients(request.talent),
            request.organization.name,
        )
    else:
        _require_talent_side(user, request, personal=True)
        _expect(request, Status.PENDING, action="counter")
        next_status, recipients, who = Status.COUNTERED, _brand_recipients(request), request.talent.stage_name
    offer = _counter_offer(request, data)
    fields = {k: v for k, v in offer.model_fields().items() if k != "use"}
    _save_transition(request, status=next_status, **fields)
    LicenseOffer.objects.create(
        request=request,
        kind=LicenseOffer.Kind.COUNTER,
        author=user if getattr(user, "is_authenticated", False) else None,
        terms=offer.as_terms(),
        message=str(message or "")[:2000],
    )
    _notify(recipients, f"Counter-offer from {who}", f"{who} proposes:\n{_summary(request)}", request)
    return request


@transaction.atomic
def accept(*, request_id: int, user, organization) -> License:
    """The brand accepts the talent side's counter-offer: the license is issued on the countered terms."""
    request = _locked(request_id)
    if organization.pk != request.organization_id:
        raise LicensingError("not_found", "No such license request.", status=404)
    _expect(request, Status.COUNTERED, action="accept")
    _require_open_period(request)
    last_counter = request.offers.filter(kind=LicenseOffer.Kind.COUNTER).select_related("author").last()
    _save_transition(request, status=Status.APPROVED)
    LicenseOffer.objects.create(
        request=request,
        kind=LicenseOffer.Kind.ACCEPT,
        author=user if getattr(user, "is_authenticated", False) else None,
        terms=_current_offer(request).as_terms(),
    )
    license = _issue(request, approved_by=last_counter.author if last_counter else None)
    _notify(
        _talent_recipients(request.talent),
        f"Your counter-offer was accepted: license {license.license_id}",
        f"{request.organization.name} accepted your counter-offer.\n{_summary(request)}",
        request,
    )
    return license


@transaction.atomic
def withdraw(*, request_id: int, user, organization, message: str = "") -> LicenseRequest:
    request = _locked(request_id)
    if organization.pk != request.organization_id:
        raise LicensingError("not_found", "No such license request.", status=404)
    _expect(request, Status.PENDING, Status.COUNTERED, action="withdraw")
    _save_transition(request, status=Status.WITHDRAWN)
    LicenseOffer.objects.create(
        request=request,
        kind=LicenseOffer.Kind.WITHDRAW,
        author=user if getattr(user, "is_authenticated", False) else None,
        terms={},
        message=message[:2000],
    )
    _notify(
        _talent_recipients(request.talent),
        f"{request.organization.name} withdrew a license request",
        _summary(request),
        request,
    )
    return request


def _issue(request: LicenseRequest, *, approved_by) -> License:
    license = License(
        talent=request.talent,
        organization=request.organization,
        request=request,
        description=request.description,
        approved_by=approved_by,
        approved_at=timezone.now(),
        **{name: getattr(request, name) for name in OFFER_FIELDS},
    )
    license.certificate = certificates.certificate_json(
        certificates.sign_payload(certificates.certificate_payload(license))
    )
    try:
        with transaction.atomic():
            license.save(force_insert=True)
    except IntegrityError:
        raise LicensingError("conflict", "A license was already issued for this request.", status=409)
    return license


# --- licenses ---------------------------------------------------------------------------------------------


@transaction.atomic
def terminate(*, license_id: str, user, reason: str) -> License:
    """Staff end a license early, with a reason. The license's own terms stay as they were."""
    if not is_staff_member(user):
        raise LicensingError("not_authorised", "Only union staff terminate licenses.", status=403)
    reason = " ".join(str(reason or "").split())
    if len(reason) < 10:
        raise LicensingError("reason_required", "Give the reason for the termination.", field="reason")
    license = (
        License.objects.select_for_update(of=("self",))
        .select_related("talent", "organization", "talent__user")
        .filter(license_id=license_id)
        .first()
    )
    if license is None:
        raise LicensingError("not_found", "No such license.", status=404)
    if license.terminated_at is not None:
        raise LicensingError("invalid_state", "This license is already terminated.", status=409)
    license.terminated_at = timezone.now()
    license.terminated_by = user
    license.termination_reason = reason[:2000]
    license.save(update_fields=["terminated_at", "terminated_by", "termination_reason"])
    body = (
        f"License {license.license_id} ({license.get_use_display()} of {license.talent.stage_name} by "
        f"{license.organization.name}) was terminated by union staff.\n"
        f"Reason: {license.termination_reason}\n\n"
        f"{settings.SITE_URL}/licenses/{license.license_id}/verify/"
    )
    to = _talent_recipients(license.talent) + _org_owner_emails(license.organization_id)
    send_email(subject=f"License {license.license_id} terminated", body=body, to=sorted(set(to)))
    return license


def _org_owner_emails(organization_id: int) -> list[str]:
    from registry.brands.models import Membership

    return list(
        Membership.objects.filter(organization_id=organization_id, role=Membership.Role.OWNER).values_list(
            "user__email", flat=True
        )
    )


def license_status(license: License, *, today: date | None = None) -> str:
    """valid | expired | terminated | not_yet_valid, as of today."""
    today = today or timezone.localdate()
    if license.terminated_at is not None and license.terminated_at <= timezone.now():
        return "terminated"
    if today < license.valid_from:
        return "not_yet_valid"
    if today > license.valid_until:
        return "expired"
    return "valid"


def verification(license: License, *, today: date | None = None) -> dict:
    """The public answer about a license: validity and scope, no private data, no fee."""
    return {
        "license_id": license.license_id,
        "status": license_status(license, today=today),
        "talent": {"registry_id": license.talent.registry_id, "stage_name": license.talent.stage_name},
        "organization": license.organization.name,
        "use": license.use,
        "modalities": list(license.modalities),
        "territories": list(license.territories),
        "channels": list(license.channels),
        "product_category": license.product_category or None,
        "valid_from": license.valid_from.isoformat(),
        "valid_until": license.valid_until.isoformat(),
        "terminated_at": license.terminated_at.isoformat() if license.terminated_at else None,
    }


# --- reminders --------------------------------------------------------------------------------------------

REMINDER_DAYS = (30, 7)


def _threshold(days_left: int) -> int | None:
    """The reminder due for this many days left: 30 (8–30 days), 7 (0–7 days), or none."""
    for days in sorted(REMINDER_DAYS):
        if 0 <= days_left <= days:
            return days
    return None


def _record_reminder(kind: str, object_id: int, days: int, valid_until: date) -> bool:
    """True if this reminder was not sent before (it is now recorded; a unique constraint keeps it once)."""
    try:
        with transaction.atomic():
            ExpiryReminder.objects.create(
                kind=kind, object_id=object_id, days_before=days, valid_until=valid_until
            )
        return True
    except IntegrityError:
        return False


@transaction.atomic
def send_expiry_reminders(*, today: date | None = None) -> int:
    """Remind brands and talent 30 and 7 days before licenses end, and talent before their terms end.

    Run daily by beat; each reminder goes out once (a missed day is caught up the next day).
    """
    from registry.consent.models import Term, TermVersion
    from registry.consent.selectors import in_effect_among as version_in_effect

    today = today or timezone.localdate()
    horizon = today + timedelta(days=max(REMINDER_DAYS))
    sent = 0
    licenses = License.objects.filter(
        terminated_at__isnull=True, valid_until__gte=today, valid_until__lte=horizon
    ).select_related("talent", "talent__user", "organization")
    for license in licenses:
        days = _threshold((license.valid_until - today).days)
        if days is None or not _record_reminder(
            ExpiryReminder.Kind.LICENSE, license.pk, days, license.valid_until
        ):
            continue
        body = (
            f"License {license.license_id} — {license.get_use_display()} of {license.talent.stage_name} by "
            f"{license.organization.name} — ends on {license.valid_until} "
            f"({(license.valid_until - today).days} days). To continue, request a new license.\n\n"
            f"{settings.SITE_URL}/licenses/{license.license_id}/"
        )
        to = sorted(set(_org_owner_emails(license.organization_id) + _talent_recipients(license.talent)))
        if to:
            send_email(
                subject=f"License {license.license_id} ends on {license.valid_until}", body=body, to=to
            )
        sent += 1

    terms = list(
        Term.objects.filter(
            version__status=TermVersion.Status.SIGNED,
            version__effective_from__lte=today,
            version__talent__status="active",
            valid_until__gte=today,
            valid_until__lte=horizon,
        ).select_related("version", "version__talent", "version__talent__user")
    )
    talent_ids = {t.version.talent_id for t in terms}
    versions: dict[int, list] = {}
    for version in TermVersion.objects.filter(
        talent_id__in=talent_ids, status=TermVersion.Status.SIGNED, effective_from__lte=today
    ).order_by("talent_id", "effective_from", "number"):
        versions.setdefault(version.talent_id, []).append(version)
    for term in terms:
        current = version_in_effect(versions.get(term.version.talent_id, []), today)
        if current is None or current.pk != term.version_id:
            continue  # only the terms in effect today
        days = _threshold((term.valid_until - today).days)
        if days is None or not _record_reminder(ExpiryReminder.Kind.TERM, term.pk, days, term.valid_until):
            continue
        talent = term.version.talent
        to = _talent_recipients(talent)
        if to:
            send_email(
                subject=f"Your {term.get_use_display().lower()} terms end on {term.valid_until}",
                body=(
                    f"Your likeness-use terms for {term.get_use_display().lower()} (version "
                    f"{term.version.number}) end on {term.valid_until}. After that date, checks answer "
                    f"'license required' for this use unless you sign new terms.\n\n"
                    f"{settings.SITE_URL}/terms/"
                ),
                to=to,
            )
        sent += 1
    return sent

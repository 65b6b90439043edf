"""License requests and their thread: a brand asks; the talent side approves, declines or counters; the brand
accepts a counter-offer, counters back or withdraws.

Who may do what (product.md §2–§3):
- the brand (a member of the requesting organization) creates a request, accepts a counter-offer,
  counters back or withdraws;
- the talent, or someone acting for them with authority to answer requests, approves, declines or counters;
- for replica creation/use and AI training only the talent in person (or a guardian or estate) may approve or
  counter — a counter is an offer the brand can accept into a license, so it needs the same consent;
- a minor's answers come from their guardian.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from registry.consent.specificity import check_description
from registry.consent.vocab import PERSONAL_CONSENT_USES
from registry.core.errors import DomainError
from registry.licensing.licenses import issue
from registry.licensing.models import License, LicenseOffer, LicenseRequest
from registry.licensing.notify import brand_recipients, notify, summary, talent_recipients
from registry.licensing.offers import clean_offer, counter_offer, current_offer
from registry.licensing.screening import screen
from registry.talent import selectors as talent_selectors
from registry.talent.models import TalentProfile
from registry.talent.registry_ids import canonical_registry_id

Status = LicenseRequest.Status
PERSONAL_ACTORS = ("talent", "guardian", "estate")


def _signed_in(actor):
    """The acting user to record as author, or None (a brand calling with an API key)."""
    return actor if getattr(actor, "is_authenticated", False) else None


def _require_talent_side(actor, request: LicenseRequest, *, personal: bool) -> str:
    """Authority to answer for the talent. `personal`: the answer can become a license (approve, counter)."""
    talent = request.talent
    if actor is None or not actor.has_perm("talent.answer_requests", talent):
        raise DomainError("not_authorised", "You cannot answer license requests for this talent.", status=403)
    acting = talent_selectors.acting_as(actor, talent)
    if personal and request.use in PERSONAL_CONSENT_USES and acting not in PERSONAL_ACTORS:
        raise DomainError(
            "personal_consent_required",
            "Replica creation, replica use and AI training need the talent's own consent (or a guardian's or "
            "estate's): a representative cannot give it.",
            status=403,
        )
    if personal and acting == "talent" and talent.is_minor():
        raise DomainError(
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
        raise DomainError("not_found", "No such license request.", status=404)
    return request


def _require_brand(request: LicenseRequest, organization) -> None:
    if organization.pk != request.organization_id:
        raise DomainError("not_found", "No such license request.", status=404)


def _expect(request: LicenseRequest, *statuses: str, action: str) -> None:
    if request.status not in statuses:
        raise DomainError(
            "invalid_state",
            f"Cannot {action} a request that is {request.get_status_display().lower()}.",
            status=409,
        )


def _require_open_period(request: LicenseRequest) -> None:
    if request.valid_until < timezone.localdate():
        raise DomainError(
            "invalid_period", "The requested period has already ended: counter with a new period.", status=409
        )


def save_transition(request: LicenseRequest, **changes) -> None:
    """Write the new state only if nobody changed the request since we read it (optimistic lock)."""
    changes["updated_at"] = timezone.now()
    updated = LicenseRequest.objects.filter(
        pk=request.pk, lock_version=request.lock_version, status=request.status
    ).update(lock_version=F("lock_version") + 1, **changes)
    if updated != 1:
        raise DomainError("conflict", "The request changed meanwhile: reload and try again.", status=409)
    for name, value in changes.items():
        setattr(request, name, value)
    request.lock_version += 1


def registered_talent(registry_id) -> TalentProfile | None:
    """The registered talent a typed or sent registry ID names (read as Crockford decodes it), or None."""
    canonical = canonical_registry_id(registry_id)
    if canonical is None:
        return None
    talent = TalentProfile.objects.select_related("user").filter(registry_id=canonical).first()
    return talent if talent is not None and talent.is_registered else None


@transaction.atomic
def request_license(
    *, organization, actor, talent_registry_id: str, data: dict, today: date | None = None
) -> LicenseRequest:
    """A brand asks for a license: validated offer screened against the talent's terms in effect (refusals,
    duties), description, first message of the thread, email."""
    talent = registered_talent(talent_registry_id)
    if talent is None:
        raise DomainError("unknown_talent", "No registered talent with this registry ID.", "talent")
    offer = screen(talent, clean_offer(data, today=today))
    description = check_description(data.get("description"))
    message = data.get("message") or ""
    if not isinstance(message, str):
        raise DomainError("invalid", "Field 'message' must be a string.", "message")
    message = message[:2000]
    request = LicenseRequest.objects.create(
        talent=talent,
        organization=organization,
        requested_by=_signed_in(actor),
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
    notify(
        talent_recipients(talent),
        f"New license request from {organization.name}",
        f"{organization.name} asks for a license:\n{summary(request)}\n\nIntended use: {description}",
        request,
    )
    return request


@transaction.atomic
def approve(*, request_id: int, actor, message: str = "") -> License:
    """The talent side approves the current offer: the request becomes one immutable, signed license."""
    request = _locked(request_id)
    _require_talent_side(actor, request, personal=True)
    _expect(request, Status.PENDING, action="approve")
    _require_open_period(request)
    save_transition(request, status=Status.APPROVED)
    LicenseOffer.objects.create(
        request=request,
        kind=LicenseOffer.Kind.APPROVE,
        author=actor,
        terms=current_offer(request).as_terms(),
        message=message[:2000],
    )
    license = issue(request, approved_by=actor)
    notify(
        brand_recipients(request),
        f"License approved: {license.license_id}",
        f"{request.talent.stage_name} approved your request. "
        f"License {license.license_id}:\n{summary(request)}",
        request,
    )
    return license


@transaction.atomic
def decline(*, request_id: int, actor, message: str = "") -> LicenseRequest:
    request = _locked(request_id)
    _require_talent_side(actor, request, personal=False)
    _expect(request, Status.PENDING, Status.COUNTERED, action="decline")
    save_transition(request, status=Status.DECLINED)
    LicenseOffer.objects.create(
        request=request, kind=LicenseOffer.Kind.DECLINE, author=actor, terms={}, message=message[:2000]
    )
    notify(
        brand_recipients(request),
        "License request declined",
        f"{request.talent.stage_name} declined your request.\n{summary(request)}"
        + (f"\n\nMessage: {message}" if message else ""),
        request,
    )
    return request


@transaction.atomic
def counter(*, request_id: int, actor, data: dict, organization=None, message: str = "") -> LicenseRequest:
    """A counter-offer changes fee, period, scope or conditions and hands the request to the other side.

    The talent side counters a pending request (it goes to the brand). The brand (`organization` given) may
    counter a counter-offer back (it goes to the talent again). Both are screened against the terms in effect
    and carry the duties they require; the brand's as strictly as a new request, the talent side's only for
    what nobody may agree to (a minor's protected category): she may offer below her own minimum.
    """
    request = _locked(request_id)
    if organization is not None:
        _require_brand(request, organization)
        _expect(request, Status.COUNTERED, action="counter")
        next_status, recipients, who = (
            Status.PENDING,
            talent_recipients(request.talent),
            request.organization.name,
        )
    else:
        _require_talent_side(actor, request, personal=True)
        _expect(request, Status.PENDING, action="counter")
        next_status, recipients, who = Status.COUNTERED, brand_recipients(request), request.talent.stage_name
    as_brand = organization is not None
    offer = counter_offer(
        request, data, settle=lambda o: screen(request.talent, o, only_absolute=not as_brand)
    )
    fields = {k: v for k, v in offer.model_fields().items() if k != "use"}
    save_transition(request, status=next_status, **fields)
    LicenseOffer.objects.create(
        request=request,
        kind=LicenseOffer.Kind.COUNTER,
        author=_signed_in(actor),
        terms=offer.as_terms(),
        message=str(message or "")[:2000],
    )
    notify(recipients, f"Counter-offer from {who}", f"{who} proposes:\n{summary(request)}", request)
    return request


@transaction.atomic
def accept(*, request_id: int, actor, organization) -> License:
    """The brand accepts the talent side's counter-offer: the license is issued on the countered terms."""
    request = _locked(request_id)
    _require_brand(request, organization)
    _expect(request, Status.COUNTERED, action="accept")
    _require_open_period(request)
    last_counter = request.offers.filter(kind=LicenseOffer.Kind.COUNTER).select_related("author").last()
    save_transition(request, status=Status.APPROVED)
    LicenseOffer.objects.create(
        request=request,
        kind=LicenseOffer.Kind.ACCEPT,
        author=_signed_in(actor),
        terms=current_offer(request).as_terms(),
    )
    license = issue(request, approved_by=last_counter.author if last_counter else None)
    notify(
        talent_recipients(request.talent),
        f"Your counter-offer was accepted: license {license.license_id}",
        f"{request.organization.name} accepted your counter-offer.\n{summary(request)}",
        request,
    )
    return license


@transaction.atomic
def withdraw(*, request_id: int, actor, organization, message: str = "") -> LicenseRequest:
    request = _locked(request_id)
    _require_brand(request, organization)
    _expect(request, Status.PENDING, Status.COUNTERED, action="withdraw")
    save_transition(request, status=Status.WITHDRAWN)
    LicenseOffer.objects.create(
        request=request,
        kind=LicenseOffer.Kind.WITHDRAW,
        author=_signed_in(actor),
        terms={},
        message=message[:2000],
    )
    notify(
        talent_recipients(request.talent),
        f"{request.organization.name} withdrew a license request",
        summary(request),
        request,
    )
    return request

"""Biometric consent pages (read, sign, withdraw, receipts) and the talent's self-check. HTTP only: the
rules live in registry.likeness.selectors (who) and the services (consent, descriptors, selfcheck)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from registry.consent import signing
from registry.core.errors import DomainError
from registry.core.forms import show_error
from registry.likeness import consent as consent_service
from registry.likeness import selectors, selfcheck
from registry.likeness.forms import SelfCheckForm, SignConsentForm, WithdrawForm
from registry.likeness.models import BiometricConsent
from registry.likeness.text import CONSENT_TEXT, CONSENT_TEXT_SHA256, CONSENT_TEXT_VERSION
from registry.talent import selectors as talent_selectors
from registry.talent.models import TalentProfile
from registry.talent.registry_ids import canonical_registry_id


def _talent(request, registry_id: str, perm: str) -> TalentProfile:
    talent = get_object_or_404(TalentProfile, registry_id=canonical_registry_id(registry_id) or "")
    if not request.user.has_perm(perm, talent):
        raise PermissionDenied("You do not act for this talent in this.")
    return talent


def _legal_name(request, talent: TalentProfile) -> str | None:
    return signing.signature_legal_name(talent, talent_selectors.acting_as(request.user, talent))


@login_required
@require_GET
def index(request):
    own = talent_selectors.talent_for_user(request.user)
    if own is not None:
        return redirect("likeness:consent", own.registry_id)
    acted_for = list(talent_selectors.talent_acted_for(request.user, scope="view")[:2])
    if len(acted_for) == 1:
        return redirect("likeness:consent", acted_for[0].registry_id)
    if acted_for:
        return redirect("talent:me")
    raise PermissionDenied("Only talent and those who act for them give biometric consent.")


@login_required
@require_http_methods(["GET", "POST"])
def consent(request, registry_id: str):
    """The consent text, whether it is in force, and (for whoever may sign) the signature."""
    talent = _talent(request, registry_id, "likeness.view_consent")
    in_force = selectors.consent_in_force(talent)
    refusal = selectors.signing_refusal(request.user, talent)
    form = SignConsentForm(
        request.POST or None,
        legal_name=_legal_name(request, talent),
        initial={"text_version": CONSENT_TEXT_VERSION},
    )
    status = 200
    if request.method == "POST":
        if refusal:
            raise PermissionDenied(refusal)
        if form.is_valid():
            try:
                signed = consent_service.sign_consent(
                    talent,
                    actor=request.user,
                    signature_name=form.cleaned_data["signer_name"],
                    text_version=form.cleaned_data["text_version"],
                )
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(
                    request,
                    "Biometric consent signed. Face descriptors of the reference photos are being computed; "
                    "a receipt is on its way to your email.",
                )
                return redirect("likeness:receipt", talent.registry_id, signed.pk)
        status = 400
    context = {
        "talent": talent,
        "acting": talent_selectors.acting_as(request.user, talent),
        "in_force": in_force,
        "descriptor_count": selectors.descriptor_count(talent) if in_force else 0,
        "history": selectors.consents_of(talent),
        "refusal": refusal,
        "may_withdraw": selectors.can_withdraw(request.user, talent),
        "form": form,
        "text": CONSENT_TEXT,
        "text_version": CONSENT_TEXT_VERSION,
        "text_sha256": CONSENT_TEXT_SHA256,
    }
    return render(request, "likeness/consent.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, registry_id: str):
    """The confirmation step, then the withdrawal: every descriptor is deleted in the same transaction."""
    talent = _talent(request, registry_id, "likeness.withdraw_consent")
    in_force = selectors.consent_in_force(talent)
    form = WithdrawForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                deleted = consent_service.withdraw_consent(talent, actor=request.user)
            except DomainError as exc:
                show_error(form, exc)
            else:
                messages.success(
                    request,
                    f"Biometric consent withdrawn: {deleted} face descriptor{'s' if deleted != 1 else ''} "
                    "deleted. Nothing is matched against your face any more.",
                )
                return redirect("likeness:consent", talent.registry_id)
        status = 400
    context = {
        "talent": talent,
        "in_force": in_force,
        "descriptor_count": selectors.descriptor_count(talent) if in_force else 0,
        "form": form,
    }
    return render(request, "likeness/withdraw.html", context, status=status)


@login_required
@require_GET
def receipt(request, registry_id: str, pk: int):
    talent = _talent(request, registry_id, "likeness.view_consent")
    signed = get_object_or_404(
        BiometricConsent.objects.select_related("signed_by", "withdrawn_by"), pk=pk, talent=talent
    )
    return render(
        request,
        "likeness/receipt.html",
        {
            "talent": talent,
            "consent": signed,
            "text": CONSENT_TEXT if signed.text_version == CONSENT_TEXT_VERSION else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def self_check(request, registry_id: str):
    """Upload a suspicious image and see, for each face in it, how near it is to her own reference faces."""
    talent = _talent(request, registry_id, "likeness.self_check")
    in_force = selectors.consent_in_force(talent)
    form = SelfCheckForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST" and in_force is not None:
        if not selfcheck.allow(request.user.pk):
            form.is_valid()  # bound, so the refusal shows above it
            form.add_error(None, "You checked many images in a short time: wait a little and try again.")
            response = render(
                request,
                "likeness/self_check.html",
                {"talent": talent, "in_force": in_force, "form": form},
                status=429,
            )
            response["Retry-After"] = str(selfcheck.retry_after())
            return response
        if form.is_valid():
            try:
                result = selfcheck.check_image(talent, actor=request.user, upload=form.cleaned_data["image"])
            except ValidationError as exc:
                form.add_error("image", exc)
            except DomainError as exc:
                show_error(form, exc)
        if result is None:
            status = 400
    elif request.method == "POST":
        status = 403
    context = {"talent": talent, "in_force": in_force, "form": form, "result": result}
    return render(request, "likeness/self_check.html", context, status=status)

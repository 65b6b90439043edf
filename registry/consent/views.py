"""Terms pages (/terms/): history, diffs, drafting, review and signing, revocation, receipts, TDM policy.
HTTP only: services and selectors hold the rules."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from registry.consent import changes as term_changes
from registry.consent import drafts, exports, published, receipts, revocation, selectors, signing
from registry.consent.forms import TermsDraftForm
from registry.consent.models import TermVersion
from registry.consent.signature_forms import RevokeForm, SignForm
from registry.consent.summaries import representation_warning, summarize, union_help
from registry.core.audit import record_access
from registry.core.clientip import client_ip
from registry.core.errors import DomainError
from registry.core.forms import show_error
from registry.talent import selectors as talent_selectors
from registry.talent.models import TalentProfile
from registry.talent.registry_ids import canonical_registry_id

SIGNED_AS = {
    "talent": TermVersion.SignedAs.TALENT,
    "guardian": TermVersion.SignedAs.GUARDIAN,
    "representative": TermVersion.SignedAs.REPRESENTATIVE,
    "estate": TermVersion.SignedAs.ESTATE,
}


def _talent(registry_id: str) -> TalentProfile:
    return get_object_or_404(TalentProfile, registry_id=canonical_registry_id(registry_id) or "")


def _authorise(request, registry_id: str, *, scope: str) -> tuple[TalentProfile, str]:
    """The talent and the capacity (talent/guardian/representative/estate) the user acts in, or 403."""
    talent = _talent(registry_id)
    if not talent_selectors.can_act_for(request.user, talent, scope=scope):
        raise PermissionDenied("You do not act for this talent.")
    acting = talent_selectors.acting_as(request.user, talent)
    if acting is None:
        raise PermissionDenied("You do not act for this talent.")
    return talent, acting


def _authorise_read(request, registry_id: str) -> tuple[TalentProfile, str]:
    """Reading a talent's signed terms: those who act for them, and union staff (read-only, audited)."""
    talent = _talent(registry_id)
    if not talent_selectors.can_act_for(request.user, talent, scope="view") and request.user.has_perm(
        "accounts.access_staff_desk"
    ):
        record_access(
            request=request, actor=request.user, action="view_terms", obj=talent, detail=request.path[:300]
        )
        return talent, "staff"
    return _authorise(request, registry_id, scope="view")


def _draft(talent: TalentProfile, pk: int) -> TermVersion:
    return get_object_or_404(
        TermVersion.objects.select_related("talent").prefetch_related("terms"),
        pk=pk,
        talent=talent,
        status=TermVersion.Status.DRAFT,
    )


@login_required
@require_GET
def index(request):
    talent = list(talent_selectors.talent_acted_for(request.user, scope="view"))
    wanted = canonical_registry_id(request.GET.get("talent")) or ""
    if wanted and any(t.registry_id == wanted for t in talent):
        return redirect("consent:history", wanted)
    if len(talent) == 1:
        return redirect("consent:history", talent[0].registry_id)
    return render(request, "consent/index.html", {"talent_list": talent})


@login_required
@require_GET
def history(request, registry_id: str):
    talent, acting = _authorise_read(request, registry_id)
    versions = list(selectors.signed_versions(talent))
    today = timezone.localdate()
    current = selectors.in_effect_among(versions, today)
    can_manage = talent_selectors.can_act_for(request.user, talent, scope="manage_terms")
    return render(
        request,
        "consent/history.html",
        {
            "talent": talent,
            "acting": acting,
            "versions": versions,
            "current": current,
            "upcoming": [v for v in versions if v.effective_from > today],
            "rows": summarize(current, include_private=True),
            "drafts": list(selectors.drafts(talent)) if can_manage else [],
            "can_manage": can_manage,
            "today": today,
        },
    )


@login_required
@require_GET
def version_detail(request, registry_id: str, number: int):
    talent, acting = _authorise_read(request, registry_id)
    version = selectors.signed_version(talent, number)
    if version is None:
        raise Http404("No such version.")
    return render(
        request,
        "consent/version.html",
        {"talent": talent, "version": version, "rows": summarize(version, include_private=True)},
    )


@login_required
@require_GET
def receipt(request, registry_id: str, number: int):
    talent, _ = _authorise_read(request, registry_id)
    version = selectors.signed_version(talent, number)
    if version is None:
        raise Http404("No such version.")
    response = HttpResponse(receipts.receipt_pdf(version), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipts.receipt_filename(version)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def diff(request, registry_id: str):
    talent, _ = _authorise_read(request, registry_id)
    versions = list(selectors.signed_versions(talent))
    by_number = {v.number: v for v in versions}
    numbers = sorted(by_number)

    def pick(name, default):
        try:
            return int(request.GET.get(name, default))
        except (TypeError, ValueError):
            return default

    if len(numbers) < 2:
        return render(request, "consent/diff.html", {"talent": talent, "versions": versions, "changes": None})
    newer_n = pick("to", numbers[-1])
    older_n = pick("from", numbers[numbers.index(newer_n) - 1] if newer_n in numbers[1:] else numbers[0])
    older, newer = by_number.get(older_n), by_number.get(newer_n)
    if older is None or newer is None:
        raise Http404("No such version.")
    return render(
        request,
        "consent/diff.html",
        {
            "talent": talent,
            "versions": versions,
            "older": older,
            "newer": newer,
            "changes": selectors.diff(older, newer),
            "in_words": term_changes.between(older, newer).items,
        },
    )


def _draft_form_page(request, talent, acting, form, draft=None):
    return render(
        request,
        "consent/draft_form.html",
        {
            "talent": talent,
            "acting": acting,
            "form": form,
            "draft": draft,
            "locked": acting == "representative",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_new(request, registry_id: str):
    talent, acting = _authorise(request, registry_id, scope="manage_terms")
    current = selectors.version_in_effect(talent)
    locked = acting == "representative"
    form = TermsDraftForm(request.POST or None, current=current, locked=locked)
    if request.method == "POST" and form.is_valid():
        try:
            draft = drafts.create_draft(
                talent=talent,
                effective_from=form.effective_from,
                uses=form.documents(),
                actor=request.user,
                note=form.note,
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return redirect("consent:review", talent.registry_id, draft.pk)
    return _draft_form_page(request, talent, acting, form)


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request, registry_id: str, pk: int):
    talent, acting = _authorise(request, registry_id, scope="manage_terms")
    draft = _draft(talent, pk)
    current = selectors.version_in_effect(talent)
    form = TermsDraftForm(
        request.POST or None, current=current, draft=draft, locked=acting == "representative"
    )
    if request.method == "POST" and form.is_valid():
        try:
            drafts.update_draft(
                draft, effective_from=form.effective_from, uses=form.documents(), note=form.note
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            return redirect("consent:review", talent.registry_id, draft.pk)
    return _draft_form_page(request, talent, acting, form, draft)


@login_required
@require_POST
def draft_discard(request, registry_id: str, pk: int):
    talent, _ = _authorise(request, registry_id, scope="manage_terms")
    drafts.discard_draft(_draft(talent, pk))
    messages.success(request, "The draft was discarded. Your signed terms are unchanged.")
    return redirect("consent:history", talent.registry_id)


def _no_legal_name(talent, acting: str) -> str:
    return signing.MISSING_LEGAL_NAME if acting == "talent" and not talent.legal_name.strip() else ""


def _signing_blocker(talent, acting: str, grants) -> str:
    """Why this user cannot sign this draft (shown instead of the signature form), or ""."""
    if acting == "talent" and talent.is_minor(timezone.localdate()):
        return "You are under 18: a parent or guardian signs your terms. Your draft is saved for them."
    personal_ok = {
        "talent": True,
        "guardian": talent.is_minor(timezone.localdate()),
        "estate": talent.is_deceased,
    }
    if grants and not personal_ok.get(acting, False):
        uses = ", ".join(g.get_use_display().lower() for g in grants)
        return (
            f"This draft grants {uses}. Only {talent.stage_name} can consent to that, in person "
            "(a parent or guardian for a minor): a representative cannot sign it."
        )
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def review(request, registry_id: str, pk: int):
    """The exact text that will be signed (plain language + canonical JSON digest), and the signature."""
    talent, acting = _authorise(request, registry_id, scope="manage_terms")
    draft = _draft(talent, pk)
    preview = drafts.preview(draft)
    grants, separate = preview.grants, preview.separate
    blocker = _signing_blocker(talent, acting, grants)
    if draft.effective_from < timezone.localdate():
        blocker = blocker or "This draft's start date has passed: edit it to start today or later."
    blocker = blocker or _no_legal_name(talent, acting)
    form = SignForm(
        request.POST or None,
        personal_terms=separate,
        unrepresented=preview.unrepresented,
        legal_name=signing.signature_legal_name(talent, acting),
        initial={"expected_sha256": preview.sha256},
    )
    if request.method == "POST" and not blocker and form.is_valid():
        ctx = signing.SignatureContext(
            actor=request.user,
            signed_as=SIGNED_AS[acting],
            signer_name=" ".join(form.cleaned_data["signer_name"].split()),
            ip=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            text_shown=preview.text,
            expected_sha256=form.cleaned_data["expected_sha256"],
            confirmed_uses=form.confirmed_uses(),
            unrepresented_uses=form.unrepresented_uses(),
        )
        try:
            version = signing.sign_online(draft, ctx)
        except DomainError as exc:
            show_error(form, exc)
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            form.add_error(None, text)
        else:
            messages.success(
                request,
                f"Signed: version {version.number} takes effect on {version.effective_from:%Y-%m-%d}. "
                "A receipt is on its way to your email.",
            )
            return redirect("consent:history", talent.registry_id)
    return render(
        request,
        "consent/review.html",
        {
            "talent": talent,
            "acting": acting,
            "draft": draft,
            "preview": preview,
            "rows": summarize(draft, terms=preview.terms, include_private=True),
            "changes": term_changes.for_draft(draft, preview.terms),
            "form": form,
            "blocker": blocker,
            "separate": separate,
            "warning": representation_warning(preview.unrepresented),
            "union": union_help(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def revoke(request, registry_id: str):
    talent, acting = _authorise(request, registry_id, scope="manage_terms")
    current = selectors.version_in_effect(talent)
    form = RevokeForm(
        request.POST or None,
        legal_name=signing.signature_legal_name(talent, acting),
        initial={"effective_from": timezone.localdate()},
    )
    blocker = ""
    if acting == "talent" and talent.is_minor(timezone.localdate()):
        blocker = "You are under 18: a parent or guardian signs a revocation for you."
    blocker = blocker or _no_legal_name(talent, acting)
    steps, shown = [], ""
    if request.method == "POST" and not blocker and form.is_valid():
        uses, data = form.chosen_uses(), form.cleaned_data
        preamble = revocation.statement(talent, uses, data["effective_from"], data["decision"])
        try:
            steps = revocation.preview(
                talent=talent,
                uses=uses,
                effective_from=data["effective_from"],
                preamble=preamble,
                decision=data["decision"],
            )
            shown = revocation.digest(steps)
            if form.signing:
                version = revocation.revoke_online(
                    talent=talent,
                    uses=uses,
                    effective_from=data["effective_from"],
                    ctx=signing.SignatureContext(
                        actor=request.user,
                        signed_as=SIGNED_AS[acting],
                        signer_name=" ".join(data["signer_name"].split()),
                        ip=client_ip(request),
                        user_agent=request.META.get("HTTP_USER_AGENT", ""),
                        text_shown=preamble,
                        expected_sha256=data["expected_sha256"],
                    ),
                    decision=data["decision"],
                )
                messages.success(
                    request,
                    f"Revoked: version {version.number} takes effect on {version.effective_from:%Y-%m-%d}. "
                    "Earlier versions stay on record; a receipt is on its way to your email.",
                )
                return redirect("consent:history", talent.registry_id)
        except DomainError as exc:
            show_error(form, exc)
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
    return render(
        request,
        "consent/revoke.html",
        {
            "talent": talent,
            "acting": acting,
            "current": current,
            "rows": summarize(current),
            "form": form,
            "blocker": blocker,
            "steps": steps,
            "step_changes": term_changes.for_uses(talent, steps[0].effective_from, steps[0].uses)
            if steps
            else None,
            "shown_sha256": shown,
        },
    )


# --- public ---------------------------------------------------------------------------------------------


def _public_talent(registry_id: str) -> TalentProfile:
    talent = talent_selectors.public_profile(registry_id)
    if talent is None:
        raise Http404("No talent with this registry ID.")
    return talent


def _wants_json(request) -> bool:
    accept = request.headers.get("Accept", "")
    return (
        request.GET.get("format") == "json"
        or "application/ld+json" in accept
        or ("application/json" in accept and "text/html" not in accept)
    )


@require_GET
def policy(request, registry_id: str):
    """The TDM policy tdm-policy points to: ODRL JSON-LD for machines, a plain-language page for people. When
    nothing is offered (every kind of mining denied) there is no policy: JSON asks get a 404."""
    talent = _public_talent(registry_id)
    today = timezone.localdate()
    version = selectors.version_in_effect(talent, today)
    document = exports.tdm_policy(talent, version, today)
    stance = exports.stance_of(talent, version, today)
    if _wants_json(request):
        if document is None:
            response = JsonResponse(
                {"code": "not_found", "detail": "Nothing is offered: no TDM policy.", "fields": {}},
                status=404,
            )
        else:
            response = JsonResponse(
                document, content_type="application/ld+json", json_dumps_params={"indent": 2}
            )
    else:
        response = render(
            request,
            "consent/policy.html",
            {
                "talent": talent,
                "version": version,
                "rows": summarize(version),
                "entries": stance.entries(),
                "reserved": exports.mining.tdm_reservation(stance) == 1,
                "document": json.dumps(document, indent=2, ensure_ascii=False) if document else "",
            },
        )
    response["Vary"] = "Accept"
    for key, value in exports.mining.http_headers(stance, talent.registry_id).items():
        response[key] = value
    return response


@require_safe
def tdmrep_json(request):
    """/.well-known/tdmrep.json (W3C TDMRep), as built in the background (registry/consent/published.py):
    one query, ETag and conditional GET, whatever the number of talent."""
    document = published.stored(published.TDMREP)
    if document is None:
        body = published.fallback_tdmrep()
        response = HttpResponse(body, content_type="application/json")
        response["Cache-Control"] = "public, max-age=60"
        return response
    response = HttpResponse(document.body, content_type=document.content_type)
    response["ETag"] = document.etag
    response["Last-Modified"] = http_date(document.built_at.timestamp())
    response["Cache-Control"] = "public, max-age=300"
    return get_conditional_response(
        request, etag=document.etag, last_modified=int(document.built_at.timestamp()), response=response
    )

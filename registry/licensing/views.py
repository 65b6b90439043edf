"""Licensing pages: requests (brand side and talent inbox) with their thread, licenses, certificates,
public verification, the signing key, and the staff license list."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from accounts.decorators import staff_required
from registry.brands import selectors as brand_selectors
from registry.consent.vocab import PERSONAL_CONSENT_USES
from registry.core.errors import DomainError
from registry.core.forms import show_error
from registry.licensing import certificates, licenses, requests, screening, selectors
from registry.licensing.forms import (
    CounterForm,
    LicenseRequestForm,
    MessageForm,
    TerminateForm,
    VerifyDocumentForm,
    VerifyLookupForm,
)
from registry.licensing.models import LicenseRequest
from registry.talent import selectors as talent_selectors

Status = LicenseRequest.Status


def _form_error(form, exc: DomainError) -> None:
    # The API's `fee` is two fields on the form: show its errors on the amount.
    if exc.field == "fee":
        form.add_error("fee_amount", exc.detail)
    else:
        show_error(form, exc)


def _precheck(data) -> dict:
    """What the talent's terms in effect say about the request being typed (shown before it is sent)."""
    typed = str(data.get("talent") or "").strip()
    talent = requests.registered_talent(typed) if typed else None
    found = screening.precheck(talent, data) if talent is not None else []
    return {
        "precheck_talent": talent,
        "precheck_unknown": bool(typed) and talent is None,
        "refusals": [f for f in found if f.code],
        "notes": [f for f in found if not f.code],
    }


def _sides(request):
    """(organization or None, whether the user acts for some talent)."""
    organization = brand_selectors.organization_for_user(request.user)
    return organization, talent_selectors.talent_acted_for(request.user, scope="view").exists()


# --- requests ---------------------------------------------------------------------------------------------


@login_required
def request_list(request):
    organization, talent_side = _sides(request)
    if organization is None and not talent_side:
        if request.user.has_perm("licensing.request_license"):
            messages.info(request, "Set up your organization to request licenses.")
            return redirect("brands:workspace")
        raise PermissionDenied("License requests are for brands and for talent and their representatives.")
    status = request.GET.get("status", "")
    context = {"status": status, "statuses": Status.choices, "organization": organization}
    if organization is not None:
        page = Paginator(selectors.requests_for_organization(organization, status=status), 25)
        context["brand_page"] = page.get_page(request.GET.get("page"))
    if talent_side:
        page = Paginator(selectors.requests_for_talent_side(request.user, status=status), 25)
        context["inbox_page"] = page.get_page(request.GET.get("inbox_page"))
    context["query"] = urlencode({"status": status}) if status else ""
    return render(request, "licensing/requests.html", context)


@login_required
def request_new(request):
    organization = brand_selectors.organization_for_user(request.user)
    if organization is None:
        messages.info(request, "Set up your organization to request licenses.")
        return redirect("brands:workspace")
    if request.method == "GET" and request.htmx and "precheck" in request.GET:
        return render(request, "licensing/_precheck.html", _precheck(request.GET))
    if request.method == "POST":
        form = LicenseRequestForm(request.POST)
        if form.is_valid():
            try:
                created = requests.request_license(
                    organization=organization,
                    actor=request.user,
                    talent_registry_id=form.cleaned_data["talent"],
                    data=form.request_data(),
                )
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, "Your request was sent. The talent side will answer here.")
                return redirect("licensing:request", pk=created.pk)
    else:
        form = LicenseRequestForm(initial=_prefill(request.GET))
    context = {"form": form, "organization": organization, **_precheck(form.data or form.initial)}
    return render(request, "licensing/request_form.html", context)


def _prefill(params) -> dict:
    """Initial values from a license_required check (talent, use, modality, territory, channel, date, …)."""
    initial = {}
    for name in ("talent", "use", "product_category"):
        if params.get(name):
            initial[name] = params[name][:50]
    if params.get("modality"):
        initial["modalities"] = [params["modality"]]
    if params.get("channel"):
        initial["channels"] = [params["channel"]]
    if params.get("territory"):
        initial["territories"] = params["territory"][:10]
    if params.get("date"):
        initial["valid_from"] = params["date"][:10]
    return initial


def _visible_request(request, pk) -> tuple[LicenseRequest, bool, bool]:
    organization = brand_selectors.organization_for_user(request.user)
    found = selectors.request_for(pk, user=request.user, organization=organization)
    if found is None:
        raise Http404("No such license request.")
    brand_side = organization is not None and organization.pk == found.organization_id
    talent_side = talent_selectors.can_act_for(request.user, found.talent, scope="view")
    request.license_organization = organization
    return found, brand_side, talent_side


@login_required
def request_detail(request, pk: int):
    found, brand_side, talent_side = _visible_request(request, pk)
    return render(
        request, "licensing/request_detail.html", _detail_context(request, found, brand_side, talent_side)
    )


def _detail_context(request, found, brand_side: bool, talent_side: bool, counter_form=None) -> dict:
    """The request page; `counter_form` is a counter-offer that came back with errors (shown bound)."""
    can_answer = talent_side and request.user.has_perm("talent.answer_requests", found.talent)
    acting = talent_selectors.acting_as(request.user, found.talent) if talent_side else None
    personal_only = found.use in PERSONAL_CONSENT_USES and acting not in requests.PERSONAL_ACTORS
    context = {
        "req": found,
        "thread": list(found.offers.all()),
        "brand_side": brand_side,
        "talent_side": talent_side,
        "can_answer": can_answer and found.status == Status.PENDING,
        "personal_only": personal_only,
        "brand_turn": brand_side and found.status == Status.COUNTERED,
        "can_withdraw": brand_side and found.status in (Status.PENDING, Status.COUNTERED),
        "license": getattr(found, "license", None) if found.status == Status.APPROVED else None,
    }
    if talent_side:
        offers = [o for o in context["thread"] if o.kind in (o.Kind.REQUEST, o.Kind.COUNTER)]
        context["comparisons"] = screening.compare_thread(found, offers)
    if context["can_answer"]:
        context["message_form"] = MessageForm()
        if not personal_only:
            context["counter_form"] = counter_form or CounterForm.from_request(found)
    if context["brand_turn"]:
        context["counter_form"] = counter_form or CounterForm.from_request(found)
    if context["can_answer"] or context["brand_turn"] or context["can_withdraw"]:
        context.setdefault("message_form", MessageForm())
    return context


def _counter(request, found, brand_side: bool, talent_side: bool):
    """A counter-offer: sent, or the page again with the form as typed and its errors summarised."""
    form = CounterForm.from_request(found, data=request.POST)
    if form.is_valid():
        as_brand = brand_side and (not talent_side or found.status == Status.COUNTERED)
        try:
            requests.counter(
                request_id=found.pk,
                actor=request.user,
                data=form.offer_data(),
                organization=request.license_organization if as_brand else None,
                message=form.cleaned_data.get("message") or "",
            )
        except DomainError as exc:
            if exc.status == 404:
                raise Http404(exc.detail) from exc
            show_error(form, exc)
        else:
            messages.success(request, "Your counter-offer was sent.")
            return redirect("licensing:request", pk=found.pk)
    context = _detail_context(request, found, brand_side, talent_side, counter_form=form)
    if context.get("counter_form") is not form:  # no longer theirs to counter: say why on the page
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("licensing:request", pk=found.pk)
    return render(request, "licensing/request_detail.html", context, status=400)


def _act(request, pk, action):
    found, brand_side, talent_side = _visible_request(request, pk)
    if action == "counter":
        return _counter(request, found, brand_side, talent_side)
    message = MessageForm(request.POST)
    text = message.cleaned_data.get("message", "") if message.is_valid() else ""
    organization = request.license_organization
    try:
        if action == "approve":
            license = requests.approve(request_id=found.pk, actor=request.user, message=text)
            messages.success(request, f"Approved. License {license.license_id} is issued.")
        elif action == "decline":
            requests.decline(request_id=found.pk, actor=request.user, message=text)
            messages.success(request, "Declined. The brand has been told.")
        elif action == "accept":
            if not brand_side:
                raise PermissionDenied
            license = requests.accept(request_id=found.pk, actor=request.user, organization=organization)
            messages.success(request, f"Accepted. License {license.license_id} is issued.")
        elif action == "withdraw":
            if not brand_side:
                raise PermissionDenied
            requests.withdraw(
                request_id=found.pk, actor=request.user, organization=organization, message=text
            )
            messages.success(request, "The request is withdrawn.")
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.detail)
        messages.error(request, exc.detail)
    return redirect("licensing:request", pk=found.pk)


@require_POST
@login_required
def request_action(request, pk: int, action: str):
    if action not in ("approve", "decline", "counter", "accept", "withdraw"):
        raise Http404
    return _act(request, pk, action)


# --- licenses ---------------------------------------------------------------------------------------------


@login_required
def license_list(request):
    organization, talent_side = _sides(request)
    if organization is None and not talent_side and not request.user.has_perm("accounts.access_staff_desk"):
        raise PermissionDenied("Licenses are shown to the organization and the talent side.")
    qs = selectors.visible_licenses(user=request.user, organization=organization)
    page = Paginator(qs.order_by("-created_at", "-pk"), 25).get_page(request.GET.get("page"))
    rows = [(lic, licenses.license_status(lic)) for lic in page.object_list]
    return render(request, "licensing/licenses.html", {"page": page, "rows": rows, "query": ""})


def _visible_license(request, license_id):
    organization = brand_selectors.organization_for_user(request.user)
    found = selectors.license_for(license_id, user=request.user, organization=organization)
    if found is None:
        raise Http404("No such license.")
    return found


@login_required
def license_detail(request, license_id: str):
    found = _visible_license(request, license_id)
    return render(
        request,
        "licensing/license_detail.html",
        {
            "license": found,
            "status": licenses.license_status(found),
            "verify_url": request.build_absolute_uri(
                reverse("licensing:verify-license", args=[found.license_id])
            ),
        },
    )


@login_required
def certificate_json(request, license_id: str):
    found = _visible_license(request, license_id)
    document = certificates.certificate_for(found)
    response = HttpResponse(certificates.certificate_json(document), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{found.license_id}-certificate.json"'
    return response


@login_required
def certificate_pdf(request, license_id: str):
    found = _visible_license(request, license_id)
    response = HttpResponse(certificates.certificate_pdf(found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{found.license_id}-certificate.pdf"'
    return response


# --- public verification ----------------------------------------------------------------------------------


def verify(request):
    """Look up a license by ID, or check a pasted certificate's signature (no account needed)."""
    lookup = VerifyLookupForm(request.GET or None)
    if request.GET and lookup.is_valid():
        return redirect("licensing:verify-license", license_id=lookup.cleaned_data["license_id"])
    document_form = VerifyDocumentForm(request.POST or None)
    outcome = None
    if request.method == "POST" and document_form.is_valid():
        text = document_form.cleaned_data["certificate"]
        valid = certificates.verify_certificate(text)
        payload, found = None, None
        try:
            parsed = json.loads(text)
            payload = parsed.get("payload") if isinstance(parsed, dict) else None
        except ValueError:
            payload = None
        if valid and isinstance(payload, dict):
            found = selectors.public_license(str(payload.get("license_id", "")))
        outcome = {
            "valid": valid,
            "payload": payload if valid else None,
            "license": found,
            "status": licenses.license_status(found) if found else None,
        }
    return render(
        request,
        "licensing/verify.html",
        {"lookup": lookup, "document_form": document_form, "outcome": outcome},
    )


def verify_license(request, license_id: str):
    found = selectors.public_license(license_id)
    if found is None:
        return render(request, "licensing/verify_license.html", {"license_id": license_id[:40]}, status=404)
    return render(
        request,
        "licensing/verify_license.html",
        {"license": found, "info": licenses.verification(found), "license_id": found.license_id},
    )


@cache_control(max_age=3600, public=True)
def signing_key(request):
    keys = certificates.published_keys()
    current = keys[0]
    return JsonResponse(
        {
            "algorithm": certificates.ALGORITHM,
            "key_id": current["key_id"],
            "public_key": current["public_key"],
            "public_key_pem": current["public_key_pem"],
            "format": certificates.CERTIFICATE_FORMAT,
            "canonicalization": certificates.CANONICALIZATION,
            "keys": keys,
        }
    )


# --- staff ------------------------------------------------------------------------------------------------


@staff_required
def staff_licenses(request):
    q = request.GET.get("q", "")[:100]
    state = request.GET.get("state", "")
    page = Paginator(selectors.licenses_for_staff(q=q, state=state), 50).get_page(request.GET.get("page"))
    rows = [(lic, licenses.license_status(lic)) for lic in page.object_list]
    query = urlencode({k: v for k, v in {"q": q, "state": state}.items() if v})
    return render(
        request,
        "licensing/staff_licenses.html",
        {"page": page, "rows": rows, "q": q, "state": state, "query": query, "form": TerminateForm()},
    )


@require_POST
@staff_required
def staff_terminate(request, license_id: str):
    form = TerminateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the reason for the termination (at least 10 characters).")
        return redirect(reverse("licensing_staff:list") + f"?q={license_id}")
    try:
        licenses.terminate(license_id=license_id, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        if exc.status == 404:
            raise Http404(exc.detail)
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"License {license_id} is terminated. Both sides have been told.")
    return redirect(reverse("licensing_staff:list") + f"?q={license_id}")

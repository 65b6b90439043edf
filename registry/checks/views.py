"""The check pages of the brand workspace: the permission-check form (htmx) with its person picker, and the
check history (CSV)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from registry.brands import exports, selectors
from registry.brands.access import organization_required
from registry.brands.models import PermissionCheck
from registry.checks import selectors as check_selectors
from registry.checks import services
from registry.checks.explain import explain
from registry.checks.forms import CheckFilterForm, CheckForm
from registry.consent.vocab import Outcome, VocabularyError
from registry.core.forms import show_error

REQUEST_FIELDS = ("talent", "use", "modality", "territory", "channel", "product_category", "date")


def _license_request_link(request_fields: dict) -> str:
    params = {k: request_fields[k] for k in REQUEST_FIELDS if request_fields[k]}
    return reverse("licensing:request-new") + "?" + urlencode(params)


def _outcome(body: dict, result) -> dict:
    req = result.request
    request_fields = {
        "talent": result.talent,
        "use": req.use,
        "modality": req.modality,
        "territory": req.territory,
        "channel": req.channel,
        "product_category": req.product_category,
        "date": req.date.isoformat(),
    }
    return {
        "result": body,
        "text": explain({**body, "request": request_fields}, outside=result.outside),
        "request": request_fields,
        "license_link": _license_request_link(request_fields)
        if body["decision"] == Outcome.LICENSE_REQUIRED
        else None,
    }


@organization_required
def check(request):
    """The permission check as a web form: the same evaluation and log as the API."""
    outcome = None
    if request.method != "POST":
        form = CheckForm(initial={k: v for k, v in request.GET.items() if k in CheckForm.base_fields})
    elif (form := CheckForm(request.POST)).is_valid():
        try:
            body, result = services.run_check(
                form.check_data(),
                organization=request.organization,
                actor=request.user,
                source=PermissionCheck.Source.WEB,
            )
        except VocabularyError as exc:
            show_error(form, exc)
        else:
            outcome = _outcome(body, result)
    # htmx swaps #check-area (form with its errors, and the result) out of this same page.
    context = {"form": form, "outcome": outcome, "matches": form.matches, "selected": form.selected}
    if form.is_bound:
        context["query"] = form.data.get("talent", "")
    return render(request, "checks/check.html", context)


@organization_required
def people(request):
    """The person picker (htmx): public talent matching a typed name or registry ID."""
    query = request.GET.get("talent", "")[:100]
    return render(
        request,
        "checks/_talent_matches.html",
        {"matches": check_selectors.talent_matches(query), "query": query.strip(), "selected": None},
    )


def _filtered_checks(request):
    form = CheckFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.checks_by(
        request.organization,
        talent=filters.get("talent") or "",
        use=filters.get("use") or "",
        decision=filters.get("decision") or "",
        since=filters.get("since"),
        until=filters.get("until"),
    )
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v and k in form.fields})
    return form, qs, query


@organization_required
def check_history(request):
    form, qs, query = _filtered_checks(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "checks/checks.html",
        {"form": form, "page": page, "query": query, "checks": page.object_list},
    )


@organization_required
def check_history_csv(request):
    _, qs, _ = _filtered_checks(request)
    response = StreamingHttpResponse(
        exports.stream_checks_csv(qs.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="permission-checks-{stamp}.csv"'
    return response

"""Public pages of the cases app: the misuse report form, the private tracking page (with the reporter's
reply), "my reports", and the talent's read-only page of a case about her."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from registry.cases import evidence, intake, selectors, throttle
from registry.cases.errors import CaseError
from registry.cases.forms import ReportForm, initial_for
from registry.cases.models import Case
from registry.talent.selectors import can_act_for

SESSION_KEY = "cases_new_tracking_code"


@never_cache
def report(request):
    """File a misuse report: anyone, with or without an account. A failed upload or a validation error
    re-renders everything the person typed (files must be attached again: browsers cannot keep them)."""
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        ip = throttle.client_ip(request)
        if not throttle.allow_report(ip):
            response = render(
                request,
                "cases/report_form.html",
                {
                    "form": form,
                    "refused": "You have sent several reports in a short time. Please wait "
                    f"{throttle.retry_after(ip) // 60 + 1} minutes and send it again; "
                    "what you typed is kept below.",
                },
                status=429,
            )
            response["Retry-After"] = str(throttle.retry_after(ip))
            return response
        if form.is_spam():
            return render(
                request,
                "cases/report_form.html",
                {"form": ReportForm(), "refused": "This report could not be accepted."},
                status=400,
            )
        if form.is_valid():
            try:
                _, code = intake.file_report(
                    form.to_input(), form.cleaned_data["evidence"], actor=request.user, ip=ip
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                request.session[SESSION_KEY] = code
                return redirect("cases:filed")
        return render(
            request, "cases/report_form.html", {"form": form, "reattach": bool(request.FILES)}, status=400
        )
    return render(request, "cases/report_form.html", {"form": ReportForm(initial=initial_for(request.user))})


@never_cache
def filed(request):
    """Shows the tracking link once, right after filing (the code is not stored, only its hash)."""
    code = request.session.pop(SESSION_KEY, None)
    if not code:
        messages.info(request, "Your report was received. Use the tracking link you saved to follow it.")
        return redirect("cases:report")
    return render(
        request, "cases/report_filed.html", {"code": code, "tracking_url": intake.tracking_url(code)}
    )


def _limited(request):
    response = render(request, "cases/track_limited.html", status=429)
    response["Retry-After"] = str(throttle.tracking_retry_after())
    return response


def _track_page(request, report, *, status: int = 200, error: str = "", body: str = ""):
    track = selectors.tracking_status(report)
    case = selectors.public_case(report)
    context = {
        "track": track,
        "code": request.resolver_match.kwargs["code"],
        "replies": evidence.reporter_replies(case, report) if case else [],
        "can_reply": case is not None,
        "error": error,
        "body": body,
    }
    response = render(request, "cases/track.html", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def track(request, code: str):
    if not throttle.allow_tracking(throttle.client_ip(request)):
        return _limited(request)
    report = selectors.report_for_code(code)
    if report is None:
        raise Http404("No report with this tracking code.")
    return _track_page(request, report)


@never_cache
@require_POST
def track_reply(request, code: str):
    """The reporter replies and/or adds evidence (same upload rules as the report form), within the same
    per-IP budget as filing reports; a merged case's reply lands on the case it was merged into."""
    ip = throttle.client_ip(request)
    if not throttle.allow_tracking(ip):
        return _limited(request)
    report = selectors.report_for_code(code)
    if report is None:
        raise Http404("No report with this tracking code.")
    body = request.POST.get("body", "")[:5000]
    files = request.FILES.getlist("evidence")
    if not body.strip() and not files:  # nothing to send: not charged to the budget
        return _track_page(request, report, status=400, error="Write a reply or attach a file.")
    if not throttle.allow_report(ip):
        response = _track_page(
            request,
            report,
            status=429,
            body=body,
            error=f"You have written several times in a short time. Please wait "
            f"{throttle.retry_after(ip) // 60 + 1} minutes and send it again.",
        )
        response["Retry-After"] = str(throttle.retry_after(ip))
        return response
    try:
        evidence.reporter_reply(report, body=body, files=files)
    except ValidationError as exc:
        return _track_page(request, report, status=400, body=body, error=" ".join(exc.messages))
    except CaseError as exc:
        return _track_page(request, report, status=400, body=body, error=exc.detail)
    messages.success(request, "Thank you: the union's staff have your reply.")
    return redirect("cases:track", code=code)


@login_required
def mine(request):
    reports = list(selectors.reports_by(request.user)[:100])
    rows = [(r, selectors.public_case(r)) for r in reports]
    return render(
        request,
        "cases/my_reports.html",
        {"rows": [(r, c, selectors.PUBLIC_STATUS[c.status if c else "received"]) for r, c in rows]},
    )


@login_required
def about_me(request, pk: int):
    """A case about the talent, read-only for her and for representatives who may act for her: public
    status and messages only (no notes, evidence or reporters)."""
    case = Case.objects.select_related("talent").filter(pk=pk, duplicate_of__isnull=True).first()
    if case is None or case.talent is None or not can_act_for(request.user, case.talent, scope="view"):
        raise Http404("No such case.")
    return render(
        request,
        "cases/talent_case.html",
        {
            "case": case,
            "status_label": selectors.PUBLIC_STATUS[case.status],
            "public_messages": list(case.messages.order_by("created_at", "pk").values("created_at", "body")),
        },
    )

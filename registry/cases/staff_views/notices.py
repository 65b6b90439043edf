"""Notices from the desk: compose, preview (text and PDF) and send one; supervisors edit the templates."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.decorators import permission_required, staff_required
from registry.cases import notices, recheck, responses, selectors
from registry.cases.errors import CaseError
from registry.cases.forms import NoticeTemplateForm
from registry.cases.models import Notice, NoticeKind, NoticeTemplate, ReportedURL
from registry.cases.notice_forms import ComposeNoticeForm, NoticeResponseForm
from registry.cases.platform_contacts import notice_defaults
from registry.cases.staff_views.case import case_url
from registry.core.forms import show_error

CONFIRM_FIRST = (
    "Tick “I have read the final notice and the recipient is right” before sending: nothing was sent."
)

templates_required = permission_required("cases.edit_notice_templates", message="Supervisors only.")


def _visible_case(user, pk: int):
    case = selectors.visible_cases(user).select_related("talent", "organization").filter(pk=pk).first()
    if case is None:
        raise Http404("No such case.")
    return case


def _pdf_response(case, draft) -> HttpResponse:
    pdf = notices.render_pdf(
        case, draft.rendered, kind_label=draft.template.get_kind_display(), now=timezone.now()
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{case.reference}-preview.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
def notice(request, pk: int):
    """Compose → preview (text, final PDF, warnings) → send; the send needs the previewed draft's token."""
    case = _visible_case(request.user, pk)
    draft = None
    if request.method == "POST":
        form = ComposeNoticeForm(request.POST, case=case)
        action = request.POST.get("action", "preview")
        unconfirmed = action == "send" and request.POST.get("confirm_send") != "yes"
        if unconfirmed:  # the box is a step of its own: previewed again, nothing sent
            action = "preview"
        if form.is_valid():
            d = form.cleaned_data
            fields = {
                "template_id": d["template"].pk,
                "recipient_name": d["recipient_name"],
                "recipient_email": d["recipient_email"],
                "url_ids": d["urls"],
                "response_days": d["response_days"],
            }
            try:
                if action == "send":
                    sent = notices.send_notice(
                        pk, actor=request.user, version=d["version"], confirmation=d["confirmation"], **fields
                    )
                    messages.success(
                        request,
                        f"Notice sent to {sent.recipient_email}; "
                        f"response due {sent.response_due_at:%Y-%m-%d}.",
                    )
                    return redirect(case_url(pk, "notices"))
                draft = notices.draft_notice(case, actor=request.user, previous=d["confirmation"], **fields)
                if action == "pdf":
                    return _pdf_response(case, draft)
                data = request.POST.copy()
                data["confirmation"] = draft.confirmation
                form = ComposeNoticeForm(data, case=case)
                form.is_valid()
                if unconfirmed:
                    form.add_error(None, CONFIRM_FIRST)
            except CaseError as exc:
                if exc.field == "confirmation":
                    form.add_error(None, exc.detail)
                else:
                    show_error(form, exc)
        status = 200 if form.is_valid() and not form.errors else 400
    else:
        kind = request.GET.get("kind") or NoticeKind.TAKEDOWN
        template = NoticeTemplate.objects.filter(kind=kind, is_active=True).order_by("pk").first()
        initial = notice_defaults(case, kind, request.GET.get("platform", ""))
        form = ComposeNoticeForm(
            initial={"template": template, "version": case.version, **initial},
            case=case,
        )
        status = 200
    return render(
        request,
        "cases/staff/notice.html",
        {
            "case": case,
            "form": form,
            "draft": draft,
            "preview": draft.rendered if draft else None,
            "covered": notices.answer_covers_use(case),
        },
        status=status,
    )


@templates_required
def templates_list(request):
    return render(
        request,
        "cases/staff/templates_list.html",
        {"templates": NoticeTemplate.objects.select_related("updated_by")},
    )


@templates_required
def template_edit(request, pk: int | None = None):
    instance = get_object_or_404(NoticeTemplate, pk=pk) if pk else None
    form = NoticeTemplateForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        template = form.save(commit=False)
        template.updated_by = request.user
        template.save()
        messages.success(request, f"Template “{template.name}” saved.")
        return redirect("cases_staff:templates")
    return render(
        request,
        "cases/staff/template_edit.html",
        {"form": form, "template_obj": instance, "placeholders": PLACEHOLDERS},
        status=400 if form.errors else 200,
    )


PLACEHOLDERS = [
    "reference",
    "today",
    "recipient_name",
    "talent_name",
    "registry_id",
    "registry_url",
    "urls",
    "platform",
    "seen_on",
    "use",
    "organization",
    "decision",
    "basis",
    "covered",
    "product_category",
    "response_due",
    "union_name",
    "contact_email",
]


@staff_required
def notice_response(request, pk: int):
    """Staff record the recipient's answer to a notice by hand (replies by email land by themselves)."""
    notice = get_object_or_404(
        Notice.objects.select_related("case").filter(case__in=selectors.visible_cases(request.user)), pk=pk
    )
    form = NoticeResponseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        received = d["received_on"]
        try:
            responses.record_response(
                notice.pk,
                actor=request.user,
                text=d["text"],
                outcome=d["outcome"],
                received_at=timezone.make_aware(datetime.combine(received, time(12))) if received else None,
            )
        except CaseError as exc:
            show_error(form, exc)
        else:
            messages.success(request, "Response recorded on the notice.")
            return redirect(case_url(notice.case_id, "notices"))
    return render(
        request,
        "cases/staff/notice_response.html",
        {"notice": notice, "case": notice.case, "form": form},
        status=400 if form.errors else 200,
    )


@staff_required
@require_POST
def url_recheck(request, pk: int):
    url = get_object_or_404(ReportedURL.objects.filter(case__in=selectors.visible_cases(request.user)), pk=pk)
    try:
        recheck.request_recheck(url.pk, actor=request.user)
    except CaseError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, f"Recheck of {url.normalized_url} queued; see the timeline.")
    return redirect(case_url(url.case_id, "urls"))

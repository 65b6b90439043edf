"""Notices from the desk: compose, preview (text and PDF) and send one; supervisors edit the templates."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.decorators import permission_required, staff_required
from registry.cases import notices, selectors
from registry.cases.errors import CaseError
from registry.cases.forms import NoticeForm, NoticeTemplateForm
from registry.cases.models import NoticeKind, NoticeTemplate
from registry.cases.staff_views.case import case_url

templates_required = permission_required("cases.edit_notice_templates", message="Supervisors only.")


@staff_required
def notice(request, pk: int):
    case = (
        selectors.visible_cases(request.user).select_related("talent", "organization").filter(pk=pk).first()
    )
    if case is None:
        raise Http404("No such case.")
    preview = None
    if request.method == "POST":
        form = NoticeForm(request.POST, case=case)
        action = request.POST.get("action", "preview")
        if form.is_valid():
            d = form.cleaned_data
            try:
                if action == "send":
                    sent = notices.send_notice(
                        pk,
                        actor=request.user,
                        version=d["version"],
                        template_id=d["template"].pk,
                        recipient_name=d["recipient_name"],
                        recipient_email=d["recipient_email"],
                        url_ids=d["urls"],
                    )
                    messages.success(
                        request,
                        f"Notice sent to {sent.recipient_email}; "
                        f"response due {sent.response_due_at:%Y-%m-%d}.",
                    )
                    return redirect(case_url(pk, "notices"))
                preview = notices.preview_notice(
                    case, template_id=d["template"].pk, recipient_name=d["recipient_name"], url_ids=d["urls"]
                )
                if action == "pdf":
                    pdf = notices.render_pdf(
                        case, preview, kind_label=d["template"].get_kind_display(), now=timezone.now()
                    )
                    response = HttpResponse(pdf, content_type="application/pdf")
                    response["Content-Disposition"] = f'inline; filename="{case.reference}-preview.pdf"'
                    response["Cache-Control"] = "private, no-store"
                    return response
            except CaseError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        status = 200 if form.is_valid() and not form.errors else 400
    else:
        kind = request.GET.get("kind") or NoticeKind.TAKEDOWN
        template = NoticeTemplate.objects.filter(kind=kind, is_active=True).order_by("pk").first()
        org = case.organization
        form = NoticeForm(
            initial={
                "template": template,
                "recipient_name": org.name if (org and kind == NoticeKind.CEASE_AND_DESIST) else "",
                "recipient_email": org.contact_email if (org and kind == NoticeKind.CEASE_AND_DESIST) else "",
                "urls": [u.pk for u in case.urls.all()],
                "version": case.version,
            },
            case=case,
        )
        status = 200
    return render(
        request, "cases/staff/notice.html", {"case": case, "form": form, "preview": preview}, status=status
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
    "response_due",
    "union_name",
    "contact_email",
]

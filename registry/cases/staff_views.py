"""The staff desk for cases (/staff/cases/): queue, case page and its actions, evidence, notices, dashboard.

HTTP only: every change calls registry.cases services/workflow/notices; every read a selector. MFA is enforced
by accounts.middleware for /staff/; non-staff get 403, confidential cases 404 unless assigned or supervisor.
"""

from __future__ import annotations

import functools
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import is_staff_member, is_supervisor
from registry.cases import notices, selectors, services, workflow
from registry.cases.errors import CaseError
from registry.cases.forms import (
    BulkAssignForm,
    CaseUpdateForm,
    EvidenceForm,
    LinkForm,
    NoticeForm,
    NoticeTemplateForm,
    QueueFilterForm,
    TextForm,
    TransitionForm,
    URLStatusForm,
    staff_choices,
)
from registry.cases.models import (
    Case,
    Evidence,
    EvidenceMatch,
    Notice,
    NoticeKind,
    NoticeTemplate,
    ReportedURL,
)
from registry.core.audit import record_access
from registry.core.csvexport import stream_rows
from registry.core.uploads import private_storage


def staff_only(view):
    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def supervisor_only(view):
    @login_required
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_supervisor(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _case(request, pk: int) -> Case:
    case = selectors.visible_cases(request.user).filter(pk=pk).first()
    if case is None:
        raise Http404("No such case.")
    return case


def _back(pk: int, anchor: str = "") -> str:
    return reverse("cases_staff:detail", args=[pk]) + (f"#{anchor}" if anchor else "")


def _refused(request, exc: CaseError) -> None:
    messages.error(request, exc.detail)


# --- queue ----------------------------------------------------------------------------------------


@staff_only
def queue(request):
    staff = staff_choices()
    form = QueueFilterForm(request.GET or None, staff=staff, initial={"status": "open"})
    filters = form.filters()
    per_page = 25
    if form.is_bound and form.is_valid():
        per_page = form.cleaned_data.get("per_page") or 25
    now = timezone.now()
    page = Paginator(selectors.queue(request.user, filters, now=now), per_page).get_page(
        request.GET.get("page")
    )
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    context = {
        "form": form,
        "page": page,
        "now": now,
        "staff": staff,
        "query": urlencode(query),
        "bulk_form": BulkAssignForm(staff=staff, auto_id="bulk_%s"),
    }
    template = (
        "cases/staff/_queue_table.html" if getattr(request, "htmx", False) else "cases/staff/queue.html"
    )
    return render(request, template, context)


@staff_only
@require_POST
def bulk_assign(request):
    ids = [int(i) for i in request.POST.getlist("cases") if i.isdigit()]
    form = BulkAssignForm(request.POST, staff=staff_choices(), case_ids=ids)
    back = reverse("cases_staff:queue") + (f"?{request.POST['query']}" if request.POST.get("query") else "")
    if not ids:
        messages.error(request, "Select at least one case to assign.")
        return redirect(back)
    if not form.is_valid():
        messages.error(request, "Choose who to assign the selected cases to.")
        return redirect(back)
    assignee = form.cleaned_data["assignee"]
    try:
        changed = services.bulk_assign(
            form.cleaned_data["cases"],
            assignee_id=None if assignee == "none" else int(assignee),
            actor=request.user,
        )
    except CaseError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"{changed} case(s) reassigned.")
    return redirect(back)


# --- case page ------------------------------------------------------------------------------------


def _transition_forms(case: Case, user) -> list[dict]:
    forms = []
    for t in workflow.available(case, user):
        forms.append(
            {
                "rule": t,
                "form": TransitionForm(
                    initial={"to": t.target, "version": case.version}, auto_id=f"t-{t.name}-{t.target}-%s"
                ),
            }
        )
    return forms


@staff_only
def detail(request, pk: int):
    case = selectors.case_page(request.user, pk)
    if case is None:
        raise Http404("No such case.")
    record_access(
        request=request,
        actor=request.user,
        action="case.view",
        obj=case,
        detail=f"case page with {len(case.evidence.all())} evidence item(s)",
    )
    staff = staff_choices()
    now = timezone.now()
    context = {
        "case": case,
        "now": now,
        "overdue": case.overdue_kind(now),
        "transitions": _transition_forms(case, request.user),
        "can_notice": case.status in workflow.ACTIVE_WORK,
        "update_form": CaseUpdateForm(
            initial=CaseUpdateForm.initial_for(case), staff=staff, auto_id="upd_%s"
        ),
        "note_form": TextForm(auto_id="note-%s"),
        "message_form": TextForm(auto_id="message-%s"),
        "link_form": LinkForm(initial={"version": case.version}, auto_id="link_%s"),
        "evidence_form": EvidenceForm(auto_id="ev_%s"),
        "url_status_choices": ReportedURL.Status.choices,
        "watching": any(w.pk == request.user.pk for w in case.watchers.all()),
        "permission": case.permission_result or {},
        "is_supervisor": is_supervisor(request.user),
    }
    return render(request, "cases/staff/detail.html", context)


@staff_only
@require_POST
def transition(request, pk: int):
    _case(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The form was incomplete; reload the case and try again.")
        return redirect(_back(pk))
    d = form.cleaned_data
    license_request = None
    if d.get("license_request"):
        from registry.licensing.models import LicenseRequest

        license_request = LicenseRequest.objects.filter(pk=d["license_request"]).first()
        if license_request is None:
            messages.error(request, f"There is no license request number {d['license_request']}.")
            return redirect(_back(pk))
    try:
        case = workflow.transition(
            pk,
            to=d["to"],
            actor=request.user,
            version=d["version"],
            reason=d.get("reason") or "",
            outcome=d.get("outcome") or "",
            outcome_note=d.get("outcome_note") or "",
            license_request=license_request,
        )
    except CaseError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"{case.reference} is now {case.get_status_display().lower()}.")
    return redirect(_back(pk))


@staff_only
@require_POST
def update(request, pk: int):
    _case(request, pk)
    form = CaseUpdateForm(request.POST, staff=staff_choices())
    if not form.is_valid():
        messages.error(request, "Check the priority and assignee and try again.")
        return redirect(_back(pk))
    d = form.cleaned_data
    try:
        services.update_case(
            pk,
            actor=request.user,
            version=d["version"],
            priority=d.get("priority") or None,
            assignee=int(d["assignee"]) if d.get("assignee") else None,
            confidential=d.get("confidential"),
            facts=form.facts(),
        )
    except CaseError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "Case updated.")
    if not selectors.visible_cases(request.user).filter(pk=pk).exists():
        return redirect("cases_staff:queue")  # e.g. marked confidential and handed over
    return redirect(_back(pk))


@staff_only
@require_POST
def watch(request, pk: int):
    _case(request, pk)
    try:
        services.set_watching(
            pk, actor=request.user, user_id=request.user.pk, watching=request.POST.get("watch") == "1"
        )
    except CaseError as exc:
        _refused(request, exc)
    return redirect(_back(pk))


@staff_only
@require_POST
def note(request, pk: int):
    _case(request, pk)
    form = TextForm(request.POST)
    try:
        if not form.is_valid():
            raise CaseError("required", "Write the note first.", "body")
        services.add_note(pk, actor=request.user, body=form.cleaned_data["body"])
    except CaseError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "Internal note added.")
    return redirect(_back(pk, "notes"))


@staff_only
@require_POST
def message(request, pk: int):
    _case(request, pk)
    form = TextForm(request.POST)
    try:
        if not form.is_valid():
            raise CaseError("required", "Write the message first.", "body")
        services.message_reporter(pk, actor=request.user, body=form.cleaned_data["body"])
    except CaseError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "Message sent to the reporter(s).")
    return redirect(_back(pk, "messages"))


@staff_only
@require_POST
def link(request, pk: int):
    _case(request, pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(_back(pk, "links"))
    d = form.cleaned_data
    try:
        if d["kind"] == "merge":
            primary = services.merge_cases(pk, d["other"], actor=request.user, version=d["version"])
            messages.success(request, f"Merged into {primary.reference}.")
            return redirect(_back(primary.pk))
        services.link_cases(pk, d["other"], actor=request.user)
        messages.success(request, "Cases linked.")
    except CaseError as exc:
        _refused(request, exc)
    return redirect(_back(pk, "links"))


@staff_only
@require_POST
def url_status(request, pk: int):
    url = get_object_or_404(ReportedURL.objects.filter(case__in=selectors.visible_cases(request.user)), pk=pk)
    form = URLStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise CaseError("invalid_status", "Choose a status for the URL.", "status")
        services.set_url_status(url.pk, actor=request.user, status=form.cleaned_data["status"])
    except CaseError as exc:
        _refused(request, exc)
    return redirect(_back(url.case_id, "urls"))


@staff_only
@require_POST
def add_evidence(request, pk: int):
    _case(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise CaseError("required", "Choose at least one file.", "evidence")
        created = services.add_evidence(pk, actor=request.user, files=form.cleaned_data["evidence"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except CaseError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"{len(created)} evidence file(s) added.")
    return redirect(_back(pk, "evidence"))


# --- private files (authorised, audited) ----------------------------------------------------------


def _file_response(field_file, *, content_type: str, filename: str, attachment: bool) -> FileResponse:
    response = FileResponse(
        private_storage.open(field_file.name, "rb"),
        content_type=content_type,
        as_attachment=attachment,
        filename=filename,
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@staff_only
def evidence_file(request, pk: int, variant: str):
    evidence = get_object_or_404(selectors.visible_evidence(request.user), pk=pk)
    if variant == "original":
        record_access(
            request=request,
            actor=request.user,
            action="evidence.download",
            obj=evidence,
            detail=f"original {evidence.sha256}",
        )
        name = evidence.original_name or f"evidence-{evidence.pk}"
        return _file_response(evidence.original, content_type=evidence.mime, filename=name, attachment=True)
    if variant not in ("display", "thumb") or evidence.kind != Evidence.Kind.IMAGE:
        raise Http404
    if variant == "display":
        record_access(
            request=request, actor=request.user, action="evidence.view", obj=evidence, detail="display copy"
        )
    field = evidence.display if variant == "display" else evidence.thumbnail
    return _file_response(
        field, content_type="image/jpeg", filename=f"evidence-{pk}-{variant}.jpg", attachment=False
    )


@staff_only
def reference_file(request, pk: int, variant: str):
    """A talent's reference photo, for staff comparing it with matched evidence (via a visible case)."""
    match = (
        EvidenceMatch.objects.filter(
            reference_media_id=pk, evidence__case__in=selectors.visible_cases(request.user)
        )
        .select_related("reference_media")
        .first()
    )
    if match is None or variant not in ("display", "thumb"):
        raise Http404
    media = match.reference_media
    record_access(
        request=request,
        actor=request.user,
        action="reference_media.view",
        obj=media,
        detail=f"compared with evidence {match.evidence_id} (distance {match.distance})",
    )
    field = media.display if variant == "display" else media.thumbnail
    if not field:
        field = media.original
    return _file_response(
        field,
        content_type="image/jpeg" if field != media.original else media.mime,
        filename=f"reference-{pk}-{variant}.jpg",
        attachment=False,
    )


@staff_only
def notice_pdf(request, pk: int):
    notice = get_object_or_404(Notice.objects.filter(case__in=selectors.visible_cases(request.user)), pk=pk)
    record_access(
        request=request, actor=request.user, action="notice.download", obj=notice, detail=notice.sha256
    )
    return _file_response(
        notice.pdf,
        content_type="application/pdf",
        filename=f"{notice.case.reference}-{notice.kind}.pdf",
        attachment=True,
    )


# --- notices --------------------------------------------------------------------------------------


@staff_only
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
                    return redirect(_back(pk, "notices"))
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


@supervisor_only
def templates_list(request):
    return render(
        request,
        "cases/staff/templates_list.html",
        {"templates": NoticeTemplate.objects.select_related("updated_by")},
    )


@supervisor_only
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


# --- dashboard and export -------------------------------------------------------------------------


@staff_only
def dashboard(request):
    return render(
        request,
        "cases/staff/dashboard.html",
        {"stats": selectors.dashboard_stats(request.user), "can_export": is_supervisor(request.user)},
    )


@supervisor_only
def export_csv(request):
    form = QueueFilterForm(request.GET or None, staff=staff_choices())
    filters = form.filters()
    record_access(
        request=request,
        actor=request.user,
        action="cases.export",
        obj=request.user,
        detail=request.GET.urlencode(),
    )

    def rows():
        yield [label for _, label in selectors.EXPORT_FIELDS]
        for row in selectors.export_rows(request.user, filters):
            yield [row[key] for key, _ in selectors.EXPORT_FIELDS]

    response = StreamingHttpResponse(stream_rows(rows()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cases-{timezone.localdate():%Y%m%d}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response

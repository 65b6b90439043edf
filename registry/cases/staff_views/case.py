"""A case's staff page and its actions: transitions, edits, watching, notes, messages, links, evidence."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.decorators import staff_required
from registry.cases import desk, edits, evidence, face_matching, merge, messaging, selectors, workflow
from registry.cases.errors import CaseError
from registry.cases.forms import (
    CaseUpdateForm,
    EvidenceForm,
    LinkForm,
    TextForm,
    TransitionForm,
    URLStatusForm,
    staff_choices,
)
from registry.cases.models import Case, ReportedURL
from registry.core.audit import record_access
from registry.licensing.models import LicenseRequest


def visible_case_or_404(request, pk: int) -> Case:
    case = selectors.visible_cases(request.user).filter(pk=pk).first()
    if case is None:
        raise Http404("No such case.")
    return case


def case_url(pk: int, anchor: str = "") -> str:
    return reverse("cases_staff:detail", args=[pk]) + (f"#{anchor}" if anchor else "")


def _refused(request, exc: CaseError) -> None:
    messages.error(request, exc.detail)


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


@staff_required
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
    face_matches = face_matching.case_face_matches(case)
    context = {
        "case": case,
        "merged": bool(case.duplicate_of_id),  # read-only: the banner links to the target, forms hidden
        "now": now,
        "overdue": case.overdue_kind(now),
        "deadline": {"countdown": desk.countdown(desk.current_deadline(case), now)},
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
        "face_matches": face_matches,
        "suggested_talent": face_matching.suggested_talent(case, face_matches),
    }
    return render(request, "cases/staff/detail.html", context)


@staff_required
@require_POST
def transition(request, pk: int):
    visible_case_or_404(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The form was incomplete; reload the case and try again.")
        return redirect(case_url(pk))
    d = form.cleaned_data
    license_request = None
    if d.get("license_request"):
        license_request = LicenseRequest.objects.filter(pk=d["license_request"]).first()
        if license_request is None:
            messages.error(request, f"There is no license request number {d['license_request']}.")
            return redirect(case_url(pk))
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
    return redirect(case_url(pk))


@staff_required
@require_POST
def update(request, pk: int):
    visible_case_or_404(request, pk)
    form = CaseUpdateForm(request.POST, staff=staff_choices())
    if not form.is_valid():
        messages.error(request, "Check the priority and assignee and try again.")
        return redirect(case_url(pk))
    d = form.cleaned_data
    try:
        edits.update_case(
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
    return redirect(case_url(pk))


@staff_required
@require_POST
def watch(request, pk: int):
    visible_case_or_404(request, pk)
    try:
        edits.set_watching(
            pk, actor=request.user, user_id=request.user.pk, watching=request.POST.get("watch") == "1"
        )
    except CaseError as exc:
        _refused(request, exc)
    return redirect(case_url(pk))


def _post_text(request, pk: int, *, write, missing: str, done: str, anchor: str):
    """A note or a message to the reporter: one text field, one service call, back to its section."""
    visible_case_or_404(request, pk)
    form = TextForm(request.POST)
    try:
        if not form.is_valid():
            raise CaseError("required", missing, "body")
        write(pk, actor=request.user, body=form.cleaned_data["body"])
    except CaseError as exc:
        _refused(request, exc)
    else:
        messages.success(request, done)
    return redirect(case_url(pk, anchor))


@staff_required
@require_POST
def note(request, pk: int):
    return _post_text(
        request,
        pk,
        write=messaging.add_note,
        missing="Write the note first.",
        done="Internal note added.",
        anchor="notes",
    )


@staff_required
@require_POST
def message(request, pk: int):
    return _post_text(
        request,
        pk,
        write=messaging.message_reporter,
        missing="Write the message first.",
        done="Message sent to the reporter(s).",
        anchor="messages",
    )


@staff_required
@require_POST
def link(request, pk: int):
    visible_case_or_404(request, pk)
    form = LinkForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(case_url(pk, "links"))
    d = form.cleaned_data
    try:
        if d["kind"] == "merge":
            primary = merge.merge_cases(pk, d["other"], actor=request.user, version=d["version"])
            messages.success(request, f"Merged into {primary.reference}.")
            return redirect(case_url(primary.pk))
        merge.link_cases(pk, d["other"], actor=request.user)
        messages.success(request, "Cases linked.")
    except CaseError as exc:
        _refused(request, exc)
    return redirect(case_url(pk, "links"))


@staff_required
@require_POST
def url_status(request, pk: int):
    url = get_object_or_404(ReportedURL.objects.filter(case__in=selectors.visible_cases(request.user)), pk=pk)
    form = URLStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise CaseError("invalid_status", "Choose a status for the URL.", "status")
        evidence.set_url_status(url.pk, actor=request.user, status=form.cleaned_data["status"])
    except CaseError as exc:
        _refused(request, exc)
    return redirect(case_url(url.case_id, "urls"))


@staff_required
@require_POST
def add_evidence(request, pk: int):
    visible_case_or_404(request, pk)
    form = EvidenceForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise CaseError("required", "Choose at least one file.", "evidence")
        created = evidence.add_evidence(pk, actor=request.user, files=form.cleaned_data["evidence"])
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except CaseError as exc:
        _refused(request, exc)
    else:
        messages.success(request, f"{len(created)} evidence file(s) added.")
    return redirect(case_url(pk, "evidence"))

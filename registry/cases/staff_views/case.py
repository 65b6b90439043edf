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
from registry.core.forms import show_error
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


def _transition_forms(case: Case, user, failed: TransitionForm | None = None) -> tuple[list[dict], list[str]]:
    """One form per transition the user may make; `failed` (bound, with errors) replaces its own."""
    forms = []
    for t in workflow.available(case, user):
        form = TransitionForm(
            initial={"to": t.target, "version": case.version}, auto_id=f"t-{t.name}-{t.target}-%s"
        )
        if failed is not None and failed.data.get("to") == t.target:
            failed.auto_id, form, failed = form.auto_id, failed, None
        forms.append({"rule": t, "form": form})
    if failed is None:
        return forms, []
    # That move is not offered (the case changed, or the form came incomplete): say why above the page.
    if {"to", "version"} & set(failed.errors):
        return forms, ["The form was incomplete; reload the case and try again."]
    return forms, [e for errors in failed.errors.values() for e in errors]


TEXT_FORMS = {
    "note_form": ("note-%s", "Internal note"),
    "message_form": ("message-%s", "Message to the reporter"),
}


def _text_form(name: str, data=None) -> TextForm:
    auto_id, label = TEXT_FORMS[name]
    form = TextForm(data, auto_id=auto_id)
    form.fields["body"].label = label
    return form


@staff_required
def detail(request, pk: int):
    return _page(request, pk)


def _page(request, pk: int, *, status: int = 200, **bound):
    """The case page; `bound` holds a form that came back with errors (shown as typed, its errors summarised).
    An htmx request gets it with 200, as htmx swaps only successful answers."""
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
    transitions, unplaced = _transition_forms(case, request.user, bound.pop("transition_form", None))
    for error in unplaced:
        messages.error(request, error)
    context = {
        "case": case,
        "merged": bool(case.duplicate_of_id),  # read-only: the banner links to the target, forms hidden
        "now": now,
        "overdue": case.overdue_kind(now),
        "deadline": {"countdown": desk.countdown(desk.current_deadline(case), now)},
        "transitions": transitions,
        "can_notice": case.status in workflow.ACTIVE_WORK,
        "update_form": CaseUpdateForm(
            initial=CaseUpdateForm.initial_for(case), staff=staff, auto_id="upd_%s"
        ),
        "note_form": _text_form("note_form"),
        "message_form": _text_form("message_form"),
        "link_form": LinkForm(initial={"version": case.version}, auto_id="link_%s"),
        "evidence_form": EvidenceForm(auto_id="ev_%s"),
        "url_status_choices": ReportedURL.Status.choices,
        "watching": any(w.pk == request.user.pk for w in case.watchers.all()),
        "permission": case.permission_result or {},
        "face_matches": face_matches,
        "suggested_talent": face_matching.suggested_talent(case, face_matches),
    }
    context.update(bound)
    if context["merged"]:  # its forms are hidden: say why the action was refused above the page
        for form in bound.values():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
    if bound and getattr(request, "htmx", False):
        status = 200
    return render(request, "cases/staff/detail.html", context, status=status)


@staff_required
@require_POST
def transition(request, pk: int):
    visible_case_or_404(request, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _page(request, pk, status=400, transition_form=form)
    d = form.cleaned_data
    license_request = None
    if d.get("license_request"):
        license_request = LicenseRequest.objects.filter(pk=d["license_request"]).first()
        if license_request is None:
            form.add_error("license_request", f"There is no license request number {d['license_request']}.")
            return _page(request, pk, status=400, transition_form=form)
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
        if exc.field in form.fields and exc.field not in ("to", "version"):
            show_error(form, exc)
            return _page(request, pk, status=400, transition_form=form)
        _refused(request, exc)  # the case changed or the move is not allowed: say so above the page
    else:
        messages.success(request, f"{case.reference} is now {case.get_status_display().lower()}.")
    return redirect(case_url(pk))


@staff_required
@require_POST
def update(request, pk: int):
    visible_case_or_404(request, pk)
    form = CaseUpdateForm(request.POST, staff=staff_choices(), auto_id="upd_%s")
    if not form.is_valid():
        return _page(request, pk, status=400, update_form=form)
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
        if exc.field in form.fields and exc.field != "version":
            show_error(form, exc)
            return _page(request, pk, status=400, update_form=form)
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


def _post_text(request, pk: int, *, write, name: str, missing: str, done: str, anchor: str):
    """A note or a message to the reporter: one text field, one service call, back to its section; a refusal
    shows the form again with what was typed and the reason."""
    visible_case_or_404(request, pk)
    form = _text_form(name, request.POST)
    form.fields["body"].error_messages["required"] = missing
    if not form.is_valid():
        return _page(request, pk, status=400, **{name: form})
    try:
        write(pk, actor=request.user, body=form.cleaned_data["body"])
    except CaseError as exc:
        show_error(form, exc)
        return _page(request, pk, status=400, **{name: form})
    messages.success(request, done)
    return redirect(case_url(pk, anchor))


@staff_required
@require_POST
def note(request, pk: int):
    return _post_text(
        request,
        pk,
        write=messaging.add_note,
        name="note_form",
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
        name="message_form",
        missing="Write the message first.",
        done="Message sent to the reporter(s).",
        anchor="messages",
    )


@staff_required
@require_POST
def link(request, pk: int):
    visible_case_or_404(request, pk)
    form = LinkForm(request.POST, auto_id="link_%s")
    if not form.is_valid():
        return _page(request, pk, status=400, link_form=form)
    d = form.cleaned_data
    try:
        if d["kind"] == "merge":
            primary = merge.merge_cases(pk, d["other"], actor=request.user, version=d["version"])
            messages.success(request, f"Merged into {primary.reference}.")
            return redirect(case_url(primary.pk))
        merge.link_cases(pk, d["other"], actor=request.user)
        messages.success(request, "Cases linked.")
    except CaseError as exc:
        # about the other case (not found, not visible, closed): said above the page, nothing echoed back
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
    form = EvidenceForm(request.POST, request.FILES, auto_id="ev_%s")
    form.fields["evidence"].error_messages["required"] = "Choose at least one file."
    try:
        if not form.is_valid():
            return _page(request, pk, status=400, evidence_form=form)
        created = evidence.add_evidence(pk, actor=request.user, files=form.cleaned_data["evidence"])
    except ValidationError as exc:
        form.add_error("evidence", " ".join(exc.messages))
    except CaseError as exc:
        show_error(form, exc)
    else:
        messages.success(request, f"{len(created)} evidence file(s) added.")
        return redirect(case_url(pk, "evidence"))
    return _page(request, pk, status=400, evidence_form=form)

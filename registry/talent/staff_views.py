"""Staff pages for members (MFA via accounts.middleware): list, detail (audited) with likely duplicates,
verify identity and a guardian's or estate's authority, record a death, withdraw, roster import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.decorators import staff_required
from registry.core.audit import record_access
from registry.talent import representatives, roster, selectors, verification
from registry.talent.duplicates import likely_duplicates
from registry.talent.forms import (
    AuthorityDocumentForm,
    RecordDeathForm,
    RosterImportForm,
    StaffRepresentativeForm,
    StaffSearchForm,
    VerifyForm,
    WithdrawForm,
)
from registry.talent.models import Representative, TalentProfile
from registry.talent.registry_ids import canonical_registry_id
from registry.talent.sections import staff_sections

PAGE_SIZE = 25


@staff_required
def member_list(request):
    form = StaffSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    members = selectors.staff_talent_list(
        q=filters.get("q", ""),
        verified=filters.get("verified", ""),
        membership_status=filters.get("membership_status", ""),
        status=filters.get("status", ""),
    )
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "talent/staff/list.html", {"form": form, "page": page, "query": query.urlencode()})


def _member(registry_id: str) -> TalentProfile:
    return get_object_or_404(
        TalentProfile.objects.select_related("user", "verified_by"),
        registry_id=canonical_registry_id(registry_id) or registry_id.upper(),
    )


def _detail_context(talent: TalentProfile, **forms) -> dict:
    return {
        "talent": talent,
        "duplicates": likely_duplicates(talent),
        "representatives": selectors.with_authority_status(selectors.current_representatives(talent)),
        "media": list(selectors.reference_media_of(talent)),
        "history": list(talent.history.select_related("history_user").order_by("-history_date")[:20]),
        "needs_guardian": selectors.needs_guardian(talent),
        "verify_form": forms.get("verify_form")
        or VerifyForm(
            initial={
                "identity_verified": True,
                "membership_status": talent.membership_status,
                "membership_number": talent.membership_number,
            }
        ),
        "withdraw_form": forms.get("withdraw_form") or WithdrawForm(),
        "death_form": forms.get("death_form") or RecordDeathForm(),
        "document_form": AuthorityDocumentForm(),
        "representative_form": forms.get("representative_form") or StaffRepresentativeForm(),
        "staff_sections": staff_sections(talent),
    }


@staff_required
def member_detail(request, registry_id: str):
    talent = _member(registry_id)
    record_access(
        request=request,
        actor=request.user,
        action="talent.view_private",
        obj=talent,
        detail=f"Member record of {talent.registry_id}",
    )
    return render(request, "talent/staff/detail.html", _detail_context(talent))


def _service_error_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@staff_required
@require_POST
def verify(request, registry_id: str):
    talent = _member(registry_id)
    form = VerifyForm(request.POST)
    if form.is_valid():
        try:
            verification.verify_talent(
                talent,
                actor=request.user,
                method=form.cleaned_data["method"],
                note=form.cleaned_data["note"],
                duplicates_checked=form.cleaned_data["duplicates_checked"],
                identity_verified=form.cleaned_data["identity_verified"],
                membership_status=form.cleaned_data["membership_status"],
                membership_number=form.cleaned_data["membership_number"],
            )
        except ValidationError as exc:
            _service_error_form(form, exc)
        else:
            messages.success(request, f"Verification of {talent.stage_name} recorded.")
            return redirect("talent_staff:detail", registry_id=talent.registry_id)
    return render(request, "talent/staff/detail.html", _detail_context(talent, verify_form=form), status=400)


@staff_required
@require_POST
def withdraw(request, registry_id: str):
    talent = _member(registry_id)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        verification.withdraw_profile(talent, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, f"{talent.stage_name} is withdrawn from the public registry.")
        return redirect("talent_staff:detail", registry_id=talent.registry_id)
    return render(
        request, "talent/staff/detail.html", _detail_context(talent, withdraw_form=form), status=400
    )


@staff_required
@require_POST
def record_death(request, registry_id: str):
    talent = _member(registry_id)
    form = RecordDeathForm(request.POST)
    if form.is_valid():
        try:
            verification.record_death(
                talent, actor=request.user, date_of_death=form.cleaned_data["date_of_death"]
            )
        except ValidationError as exc:
            _service_error_form(form, exc)
        else:
            messages.success(
                request, f"Date of death recorded. Only a verified estate now acts for {talent.stage_name}."
            )
            return redirect("talent_staff:detail", registry_id=talent.registry_id)
    return render(request, "talent/staff/detail.html", _detail_context(talent, death_form=form), status=400)


@staff_required
@require_POST
def verify_authority(request, registry_id: str, pk: int):
    talent = _member(registry_id)
    rep = get_object_or_404(Representative, pk=pk, talent=talent)
    try:
        verification.verify_authority(rep, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, f"{rep.user.email}’s authority as {rep.get_kind_display().lower()} is verified."
        )
    return redirect("talent_staff:detail", registry_id=talent.registry_id)


@staff_required
@require_POST
def add_representative(request, registry_id: str):
    talent = _member(registry_id)
    form = StaffRepresentativeForm(request.POST)
    if form.is_valid():
        try:
            rep = representatives.authorise_representative(talent, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _service_error_form(form, exc)
        else:
            messages.success(
                request, f"{rep.user.email} now acts for {talent.stage_name} ({rep.get_kind_display()})."
            )
            return redirect("talent_staff:detail", registry_id=talent.registry_id)
    context = _detail_context(talent, representative_form=form)
    return render(request, "talent/staff/detail.html", context, status=400)


@staff_required
@require_POST
def revoke_representative(request, registry_id: str, pk: int):
    talent = _member(registry_id)
    rep = get_object_or_404(Representative, pk=pk, talent=talent)
    representatives.revoke_representative(rep, actor=request.user)
    messages.success(request, f"{rep.user.email} no longer acts for {talent.stage_name}.")
    return redirect("talent_staff:detail", registry_id=talent.registry_id)


@staff_required
@require_POST
def reinstate(request, registry_id: str):
    talent = _member(registry_id)
    try:
        verification.reinstate_profile(talent, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
        return redirect("talent_staff:detail", registry_id=talent.registry_id)
    messages.success(request, f"{talent.stage_name} is back in the public registry.")
    return redirect("talent_staff:detail", registry_id=talent.registry_id)


@staff_required
def roster_import(request):
    form = RosterImportForm(request.POST or None, request.FILES or None)
    result = errors = None
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = roster.import_roster(
                upload.read(roster.MAX_ROSTER_BYTES + 1),
                actor=request.user,
                dry_run=form.cleaned_data["dry_run"],
            )
        except roster.RosterError as exc:
            errors = exc.errors_list
            status = 400
        else:
            if not result.dry_run:
                messages.success(
                    request,
                    f"Roster imported: {len(result.created)} new, {len(result.updated)} updated, "
                    f"{len(result.invited)} invited.",
                )
    return render(
        request, "talent/staff/import.html", {"form": form, "result": result, "errors": errors}, status=status
    )

"""Talent pages: public registry, talent dashboard (own or represented), profile, media, representatives."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from registry.core.audit import record_access
from registry.talent import profiles, reference_media, representatives, selectors
from registry.talent.forms import (
    AuthorityDocumentForm,
    ProfileForm,
    PublicSearchForm,
    ReferenceMediaForm,
    RepresentativeForm,
)
from registry.talent.models import ReferenceMedia, Representative, TalentProfile
from registry.talent.sections import dashboard_sections, profile_sections

PAGE_SIZE = 20


def _form_errors(form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form (field errors where the field exists)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- public registry ----------------------------------------------------------------------------------


def search(request):
    form = PublicSearchForm(request.GET or None)
    q = discipline = ""
    if form.is_valid():
        q, discipline = form.cleaned_data["q"], form.cleaned_data["discipline"]
    results = selectors.search_public_talent(q, discipline).only(
        "registry_id", "stage_name", "disciplines", "representation", "is_verified"
    )
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "talent/search.html",
        {"form": form, "page": page, "q": q, "discipline": discipline, "query": query.urlencode()},
    )


def public_profile(request, registry_id: str):
    talent = selectors.public_profile(registry_id)
    if talent is None:
        raise Http404("No talent with this registry ID.")
    canonical = reverse("talent:profile", args=[talent.registry_id])
    if request.path != canonical:
        return redirect(canonical, permanent=True)  # `tr-7kq3-m9xd` and `TR7KQ3M9XD` are the same page
    sections = profile_sections(request, talent)
    context = {"talent": talent, "managed_by": selectors.managed_by(talent), "sections": sections}
    response = render(request, "talent/public_profile.html", context)
    for key, value in sections["headers"].items():  # e.g. tdm-reservation, Content-Usage (consent app)
        response[key] = value
    return response


# --- the talent's own pages ------------------------------------------------------------------------------


def _dashboard_context(request, talent: TalentProfile, acting: str) -> dict:
    manage = selectors.can_manage_profile(request.user, talent)
    media = list(selectors.reference_media_of(talent))
    return {
        "talent": talent,
        "acting": acting,
        "can_manage": manage,
        "is_own": acting == "talent",
        "needs_guardian": selectors.needs_guardian(talent),
        "guardianship_ended": acting == "talent" and selectors.guardianship_ended(talent),
        "managed_by": selectors.managed_by(talent),
        "representatives": selectors.with_authority_status(selectors.current_representatives(talent)),
        "document_form": AuthorityDocumentForm(),
        "media": media,
        "representative_form": RepresentativeForm() if manage else None,
        "media_form": ReferenceMediaForm() if manage else None,
        "represented": selectors.with_authority_status(selectors.representations_of_user(request.user))
        if acting == "talent"
        else [],
        "sections": dashboard_sections(request, talent, acting),
        "base_url": _talent_base(talent, acting),
    }


def _talent_base(talent: TalentProfile, acting: str) -> str:
    if acting == "talent":
        return reverse("talent:me")
    return reverse("talent:manage", args=[talent.registry_id])


@login_required
def me(request):
    talent = selectors.talent_for_user(request.user)
    if talent is None:
        represented = selectors.with_authority_status(selectors.representations_of_user(request.user))
        if represented or request.user.has_perm("talent.represent_others"):
            context = {"represented": represented, "document_form": AuthorityDocumentForm()}
            return render(request, "talent/represented.html", context)
        if request.user.has_perm("talent.create_own_profile"):
            return redirect("talent:create")
        raise PermissionDenied("Only talent and their representatives have a registry page.")
    return render(request, "talent/dashboard.html", _dashboard_context(request, talent, "talent"))


@login_required
def create(request):
    if selectors.talent_for_user(request.user) is not None:
        return redirect("talent:me")
    if not request.user.has_perm("talent.create_own_profile"):
        raise PermissionDenied("Sign up as talent to create a registry profile.")
    form = ProfileForm(request.POST or None, initial={"email": request.user.email})
    if request.method == "POST" and form.is_valid():
        try:
            talent = profiles.create_profile(
                actor=request.user, data={k: form.cleaned_data[k] for k in profiles.PROFILE_FIELDS}
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request, f"Your registry profile is ready. Your registry ID is {talent.registry_id}."
            )
            return redirect("talent:me")
    return render(request, "talent/profile_form.html", {"form": form, "creating": True})


def _acting_or_404(request, registry_id: str | None) -> tuple[TalentProfile, str]:
    """The talent the user acts for: their own (no id) or one they are authorised for (404 otherwise)."""
    if registry_id is None:
        talent = selectors.talent_for_user(request.user)
        if talent is None:
            raise Http404("You have no talent profile yet.")
        return talent, "talent"
    talent = get_object_or_404(TalentProfile, registry_id=registry_id)
    acting = selectors.acting_as(request.user, talent)
    if acting is None:
        # Not "forbidden": whether someone is represented is itself private.
        raise Http404("You do not act for this talent.")
    return talent, acting


@login_required
def manage(request, registry_id: str):
    talent, acting = _acting_or_404(request, registry_id)
    if acting == "talent":
        return redirect("talent:me")
    return render(request, "talent/dashboard.html", _dashboard_context(request, talent, acting))


@login_required
def edit(request, registry_id: str | None = None):
    talent, acting = _acting_or_404(request, registry_id)
    if not selectors.can_manage_profile(request.user, talent):
        raise PermissionDenied("Only the talent or their guardian can edit this profile.")
    form = ProfileForm(request.POST or None, instance=talent)
    if request.method == "POST" and form.is_valid():
        # The service saves; the ModelForm is only the input shape (reload to drop its in-place edits).
        data = {k: form.cleaned_data[k] for k in profiles.PROFILE_FIELDS}
        talent.refresh_from_db()
        try:
            profiles.update_profile(talent, data=data, actor=request.user)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Profile saved.")
            return redirect(_talent_base(talent, acting))
    return render(
        request,
        "talent/profile_form.html",
        {"form": form, "creating": False, "talent": talent, "base_url": _talent_base(talent, acting)},
    )


@login_required
@require_POST
def add_representative(request, registry_id: str | None = None):
    talent, acting = _acting_or_404(request, registry_id)
    if not selectors.can_manage_profile(request.user, talent):
        raise PermissionDenied
    form = RepresentativeForm(request.POST)
    if form.is_valid():
        try:
            rep = representatives.authorise_representative(talent, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                f"{rep.user.email} now acts for {talent.stage_name} as {rep.get_kind_display().lower()}.",
            )
            return redirect(_talent_base(talent, acting) + "?open=representatives#representatives")
    context = _dashboard_context(request, talent, acting)
    context["representative_form"] = form
    return render(request, "talent/dashboard.html", context, status=400)


@login_required
@require_POST
def revoke_representative(request, pk: int):
    rep = get_object_or_404(Representative.objects.select_related("talent"), pk=pk, revoked_at__isnull=True)
    acting = selectors.acting_as(request.user, rep.talent)
    if acting is None:
        raise Http404
    try:
        representatives.revoke_representative(rep, actor=request.user)
    except ValidationError as exc:
        raise PermissionDenied(exc.messages[0])
    if rep.user_id == request.user.pk:
        messages.success(request, f"You no longer act for {rep.talent.stage_name}.")
        return redirect("talent:me")
    messages.success(request, f"{rep.user.email} no longer acts for {rep.talent.stage_name}.")
    return redirect(_talent_base(rep.talent, acting) + "?open=representatives#representatives")


@login_required
@require_POST
def upload_media(request, registry_id: str | None = None):
    talent, acting = _acting_or_404(request, registry_id)
    if not selectors.can_manage_profile(request.user, talent):
        raise PermissionDenied
    form = ReferenceMediaForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            reference_media.add_reference_media(
                talent,
                upload=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                caption=form.cleaned_data["caption"],
                actor=request.user,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                _form_errors(form, exc)
            else:
                form.add_error("file", exc.messages)
        else:
            messages.success(request, "Reference media added.")
            return redirect(_talent_base(talent, acting) + "?open=media#media")
    context = _dashboard_context(request, talent, acting)
    context["media_form"] = form
    return render(request, "talent/dashboard.html", context, status=400)


@login_required
@require_POST
def delete_media(request, pk: int):
    media = get_object_or_404(ReferenceMedia.objects.select_related("talent"), pk=pk)
    acting = selectors.acting_as(request.user, media.talent)
    if acting is None:
        raise Http404
    try:
        reference_media.delete_reference_media(media, actor=request.user)
    except ValidationError:
        raise PermissionDenied("Only the talent or their guardian can delete reference media.")
    messages.success(request, "Reference media deleted.")
    return redirect(_talent_base(media.talent, acting) + "?open=media#media")


@login_required
def media_file(request, pk: int, variant: str):
    """Reference media, only to the talent, their active representatives and staff (staff views audited)."""
    media = get_object_or_404(ReferenceMedia.objects.select_related("talent"), pk=pk)
    acting = selectors.acting_as(request.user, media.talent)
    if acting is None:
        if not request.user.has_perm("accounts.access_staff_desk"):
            raise Http404
        record_access(
            request=request,
            actor=request.user,
            action=f"talent.media.{variant}",
            obj=media,
            detail=f"{media.get_kind_display()} of {media.talent.registry_id}",
        )
    if variant == "original" or media.kind == ReferenceMedia.Kind.VOICE:
        file, content_type = media.original, media.mime
    else:
        file = media.display if variant == "display" else media.thumbnail
        content_type = "image/jpeg"
    if not file:
        raise Http404
    as_attachment = variant == "original"
    response = FileResponse(
        file.storage.open(file.name, "rb"),
        content_type=content_type,
        as_attachment=as_attachment,
        filename=media.original_name if as_attachment else None,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def authority_document(request, pk: int):
    """A guardian's or estate's document: POST gives (or replaces) it; GET reads it (staff reads audited)."""
    rep = get_object_or_404(Representative.objects.select_related("talent"), pk=pk)
    if request.method == "POST":
        return _upload_authority_document(request, rep)
    if not request.user.has_perm("talent.view_authority_document", rep) or not rep.authority_document:
        raise Http404
    if rep.user_id != request.user.pk and rep.talent.user_id != request.user.pk:
        record_access(
            request=request,
            actor=request.user,
            action="talent.authority_document",
            obj=rep,
            detail=f"{rep.get_kind_display()} document for {rep.talent.registry_id}",
        )
    file = rep.authority_document
    response = FileResponse(
        file.storage.open(file.name, "rb"), as_attachment=True, filename=file.name.rsplit("/", 1)[-1]
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _back_to(request, rep: Representative) -> str:
    if rep.user_id != request.user.pk and rep.talent.user_id != request.user.pk:
        return reverse("talent_staff:detail", args=[rep.talent.registry_id])
    return reverse("talent:me") + "?open=representatives#representatives"


def _upload_authority_document(request, rep: Representative):
    if not request.user.has_perm("talent.upload_authority_document", rep):
        raise Http404
    form = AuthorityDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            representatives.upload_authority_document(
                rep, upload=form.cleaned_data["document"], actor=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, "Document received. Union staff will check it; the authority counts from then."
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(_back_to(request, rep))


@login_required
@require_POST
def confirm_coming_of_age(request):
    talent = selectors.talent_for_user(request.user)
    if talent is None:
        raise Http404
    try:
        representatives.confirm_coming_of_age(talent, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            "Thank you: your terms stand as you confirmed them, and your guardian no longer acts for you.",
        )
    return redirect("talent:me")

"""Privacy pages under /talent/: download my data (JSON) and close my account (docs/privacy.md)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from registry.core.errors import DomainError
from registry.core.forms import show_error
from registry.privacy.access import privacy_capacity
from registry.privacy.closure import ClosureError, check_can_close, close_account, closure_preview
from registry.privacy.export import export_data, export_filename, export_json
from registry.privacy.forms import CloseAccountForm
from registry.talent import selectors
from registry.talent.models import TalentProfile


def _privacy_target(request, registry_id: str | None) -> tuple[TalentProfile, str]:
    """Whose data the user may download or close: their own, or a minor's as guardian (404 otherwise)."""
    if registry_id is None:
        talent = selectors.talent_for_user(request.user)
    else:
        talent = TalentProfile.objects.select_related("user").filter(registry_id=registry_id.upper()).first()
    capacity = privacy_capacity(request.user, talent)
    if capacity is None:
        # Agents, brands, other talent and staff: not found (whether someone is represented is private).
        raise Http404("Only the talent or their guardian can do this.")
    return talent, capacity


def _registry_page(talent: TalentProfile, capacity: str) -> str:
    if capacity == "talent":
        return reverse("talent:me")
    return reverse("talent:manage", args=[talent.registry_id])


@login_required
@require_GET
@never_cache
def data_export(request, registry_id: str | None = None):
    talent, _capacity = _privacy_target(request, registry_id)
    data = export_data(talent, actor=request.user, request=request)
    response = HttpResponse(export_json(data), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{export_filename(talent)}"'
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@never_cache
def close(request, registry_id: str | None = None):
    talent, capacity = _privacy_target(request, registry_id)
    try:
        check_can_close(talent, request.user)
    except ClosureError as exc:
        raise PermissionDenied(exc.detail)
    form = CloseAccountForm(request.POST or None, user=request.user, talent=talent)
    if request.method == "POST" and form.is_valid():
        try:
            closure = close_account(talent, actor=request.user, request=request)
        except DomainError as exc:
            show_error(form, exc)
        else:
            if capacity == "talent":
                logout(request)
                return render(request, "privacy/closed.html", {"closure": closure})
            messages.success(
                request,
                f"The account of {closure.talent.registry_id} is closed and its personal data erased. "
                "You no longer act for them.",
            )
            return redirect("talent:me")
    context = {
        "form": form,
        "talent": talent,
        "capacity": capacity,
        "preview": closure_preview(talent),
        "base_url": _registry_page(talent, capacity),
    }
    return render(request, "privacy/close.html", context, status=400 if form.errors else 200)

"""Brand workspace pages: the organization, its members and invitations, API keys; staff verification.

The check form and check history are registry.checks pages under the same /brands/ prefix.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.decorators import staff_required
from registry.brands import selectors, services
from registry.brands.access import brand_member_required, organization_required, owner_required
from registry.brands.forms import ApiKeyForm, InviteForm, OrganizationForm
from registry.brands.models import ApiKey, Membership, Organization

SESSION_NEW_KEY = "brands.new_api_key"


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@brand_member_required
def workspace(request):
    return _workspace(request)


def _workspace(request, status: int = 200, **bound):
    """The workspace; `bound` holds an owner's form that came back with errors (shown as typed)."""
    membership = selectors.membership_for(request.user)
    if membership is None:
        form = OrganizationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.create_organization(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, f"{form.cleaned_data['name']} is set up. You are its owner.")
                return redirect("brands:workspace")
        return render(request, "brands/create_organization.html", {"form": form})
    organization = membership.organization
    is_owner = request.user.has_perm("brands.manage_organization", organization)
    context = {
        "membership": membership,
        "organization": organization,
        "is_owner": is_owner,
        "members": list(selectors.members_of(organization)),
        "recent_checks": list(selectors.checks_by(organization)[:5]),
    }
    if is_owner:
        context.update(
            {
                "invitations": list(selectors.open_invitations(organization)),
                "api_keys": list(selectors.api_keys_of(organization)),
                "invite_form": bound.get("invite_form") or InviteForm(),
                "key_form": bound.get("key_form") or ApiKeyForm(),
            }
        )
    return render(request, "brands/workspace.html", context, status=status)


@require_POST
@organization_required
@owner_required
def invite(request):
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.invite_member(
                organization=request.organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
            return redirect(reverse("brands:workspace") + "#members")
    return _workspace(request, status=400, invite_form=form)


@require_POST
@organization_required
@owner_required
def remove_member(request, pk: int):
    membership = get_object_or_404(Membership, pk=pk, organization=request.organization)
    try:
        services.remove_member(membership=membership, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{membership.user.email} was removed.")
    return redirect(reverse("brands:workspace") + "#members")


@login_required
def accept_invitation(request, token: str):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404("This invitation is no longer valid.")
    wrong_email = invitation.email.lower() != request.user.email.lower()
    if request.method == "POST" and not wrong_email:
        services.accept_invitation(token=token, actor=request.user)
        messages.success(request, f"You joined {invitation.organization.name}.")
        return redirect("brands:workspace")
    return render(request, "brands/invitation.html", {"invitation": invitation, "wrong_email": wrong_email})


@require_POST
@organization_required
@owner_required
def create_key(request):
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        return _workspace(request, status=400, key_form=form)
    api_key, plaintext = services.create_api_key(
        organization=request.organization,
        name=form.cleaned_data["name"],
        scopes=form.cleaned_data["scopes"],
        actor=request.user,
    )
    # Shown once, on the next page; only the hash is stored.
    request.session[SESSION_NEW_KEY] = {"id": api_key.pk, "key": plaintext}
    return redirect("brands:key-created")


@organization_required
@owner_required
def key_created(request):
    new = request.session.pop(SESSION_NEW_KEY, None)
    if not new:
        messages.info(request, "API keys are shown only once, right after they are created.")
        return redirect(reverse("brands:workspace") + "#api-keys")
    api_key = get_object_or_404(ApiKey, pk=new["id"], organization=request.organization)
    response = render(request, "brands/key_created.html", {"api_key": api_key, "plaintext": new["key"]})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@organization_required
@owner_required
def revoke_key(request, pk: int):
    api_key = get_object_or_404(ApiKey, pk=pk, organization=request.organization)
    services.revoke_api_key(api_key=api_key, actor=request.user)
    messages.success(request, f"Key {api_key.name} ({api_key.prefix}…) was revoked. Calls with it now fail.")
    return redirect(reverse("brands:workspace") + "#api-keys")


# --- staff ------------------------------------------------------------------------------------------------


@staff_required
def staff_organizations(request):
    q = request.GET.get("q", "")[:100]
    verified = request.GET.get("verified", "")
    page = Paginator(selectors.organizations_for_staff(q=q, verified=verified), 50).get_page(
        request.GET.get("page")
    )
    query = urlencode({k: v for k, v in {"q": q, "verified": verified}.items() if v})
    return render(
        request, "brands/staff_list.html", {"page": page, "q": q, "verified": verified, "query": query}
    )


@require_POST
@staff_required
def staff_verify(request, pk: int):
    organization = get_object_or_404(Organization, pk=pk)
    verified = request.POST.get("verified") == "1"
    services.verify_organization(organization=organization, actor=request.user, verified=verified)
    messages.success(
        request, f"{organization.name} is {'verified' if verified else 'no longer marked verified'}."
    )
    return redirect("brands_staff:list")

"""Brand workspace pages: organization, members, API keys, the permission-check form, check history."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.roles import Role, has_role, is_staff_member
from registry.brands import exports, selectors, services
from registry.brands.explain import explain
from registry.brands.forms import ApiKeyForm, CheckFilterForm, CheckForm, InviteForm, OrganizationForm
from registry.brands.models import ApiKey, Membership, Organization, PermissionCheck
from registry.consent import vocab

SESSION_NEW_KEY = "brands.new_api_key"


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def brand_member_required(view):
    """A signed-in brand member (or someone already in an organization)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not (has_role(request.user, Role.BRAND_MEMBER) or selectors.membership_for(request.user)):
            raise PermissionDenied("The brand workspace is for members of brands, agencies and platforms.")
        return view(request, *args, **kwargs)

    return wrapper


def organization_required(view):
    """A brand member with an organization; without one they are sent to create it."""

    @wraps(view)
    @brand_member_required
    def wrapper(request, *args, **kwargs):
        membership = selectors.membership_for(request.user)
        if membership is None:
            messages.info(request, "Create your organization first.")
            return redirect("brands:workspace")
        request.membership = membership
        request.organization = membership.organization
        return view(request, *args, **kwargs)

    return wrapper


def _owner_only(request) -> None:
    if not request.membership.is_owner:
        raise PermissionDenied("Only an owner of the organization may do this.")


@brand_member_required
def workspace(request):
    membership = selectors.membership_for(request.user)
    if membership is None:
        form = OrganizationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.create_organization(owner=request.user, **form.cleaned_data)
            except ValidationError as exc:
                _form_errors(form, exc)
            else:
                messages.success(request, f"{form.cleaned_data['name']} is set up. You are its owner.")
                return redirect("brands:workspace")
        return render(request, "brands/create_organization.html", {"form": form})
    organization = membership.organization
    context = {
        "membership": membership,
        "organization": organization,
        "members": list(selectors.members_of(organization)),
        "recent_checks": list(selectors.checks_by(organization)[:5]),
    }
    if membership.is_owner:
        context.update(
            {
                "invitations": list(selectors.open_invitations(organization)),
                "api_keys": list(selectors.api_keys_of(organization)),
                "invite_form": InviteForm(),
                "key_form": ApiKeyForm(),
            }
        )
    return render(request, "brands/workspace.html", context)


@require_POST
@organization_required
def invite(request):
    _owner_only(request)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            services.invite_member(
                organization=request.organization,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Invitation sent to {form.cleaned_data['email']}.")
    else:
        messages.error(request, "Enter a valid email address to invite.")
    return redirect(reverse("brands:workspace") + "#members")


@require_POST
@organization_required
def remove_member(request, pk: int):
    _owner_only(request)
    membership = get_object_or_404(Membership, pk=pk, organization=request.organization)
    try:
        services.remove_member(membership=membership, removed_by=request.user)
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
        services.accept_invitation(token=token, user=request.user)
        messages.success(request, f"You joined {invitation.organization.name}.")
        return redirect("brands:workspace")
    return render(request, "brands/invitation.html", {"invitation": invitation, "wrong_email": wrong_email})


@require_POST
@organization_required
def create_key(request):
    _owner_only(request)
    form = ApiKeyForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Name the key and choose at least one scope.")
        return redirect(reverse("brands:workspace") + "#api-keys")
    api_key, plaintext = services.create_api_key(
        organization=request.organization,
        name=form.cleaned_data["name"],
        scopes=form.cleaned_data["scopes"],
        created_by=request.user,
    )
    # Shown once, on the next page; only the hash is stored.
    request.session[SESSION_NEW_KEY] = {"id": api_key.pk, "key": plaintext}
    return redirect("brands:key-created")


@organization_required
def key_created(request):
    _owner_only(request)
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
def revoke_key(request, pk: int):
    _owner_only(request)
    api_key = get_object_or_404(ApiKey, pk=pk, organization=request.organization)
    services.revoke_api_key(api_key=api_key, revoked_by=request.user)
    messages.success(request, f"Key {api_key.name} ({api_key.prefix}…) was revoked. Calls with it now fail.")
    return redirect(reverse("brands:workspace") + "#api-keys")


def _license_request_link(data: dict) -> str:
    params = {
        k: data[k] for k in ("talent", "use", "modality", "territory", "channel", "product_category", "date")
    }
    return reverse("licensing:request-new") + "?" + urlencode({k: v for k, v in params.items() if v})


@organization_required
def check(request):
    """The permission check as a web form: the same evaluation and log as the API."""
    outcome = None
    if request.method != "POST":
        form = CheckForm(initial={k: v for k, v in request.GET.items() if k in CheckForm.base_fields})
    elif (form := CheckForm(request.POST)).is_valid():
        data = form.check_data()
        try:
            body, result = services.run_check(
                data,
                organization=request.organization,
                user=request.user,
                source=PermissionCheck.Source.WEB,
            )
        except vocab.VocabularyError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        else:
            req = result.request
            request_fields = {
                "talent": req.talent,
                "use": req.use,
                "modality": req.modality,
                "territory": req.territory,
                "channel": req.channel,
                "product_category": req.product_category,
                "date": req.date.isoformat(),
            }
            outcome = {
                "result": body,
                "text": explain({**body, "request": request_fields}),
                "request": request_fields,
                "license_link": _license_request_link(request_fields)
                if body["decision"] == vocab.Outcome.LICENSE_REQUIRED
                else None,
            }
    # htmx swaps #check-area (form with its errors, and the result) out of this same page.
    return render(request, "brands/check.html", {"form": form, "outcome": outcome})


def _filtered_checks(request):
    form = CheckFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.checks_by(
        request.organization,
        talent=filters.get("talent") or "",
        use=filters.get("use") or "",
        decision=filters.get("decision") or "",
        since=filters.get("since"),
        until=filters.get("until"),
    )
    query = urlencode({k: v for k, v in request.GET.items() if k != "page" and v and k in form.fields})
    return form, qs, query


@organization_required
def check_history(request):
    form, qs, query = _filtered_checks(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "brands/checks.html",
        {"form": form, "page": page, "query": query, "checks": page.object_list},
    )


@organization_required
def check_history_csv(request):
    _, qs, _ = _filtered_checks(request)
    response = StreamingHttpResponse(
        exports.stream_checks_csv(qs.iterator(chunk_size=2000)), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="permission-checks-{stamp}.csv"'
    return response


# --- staff ------------------------------------------------------------------------------------------------


def staff_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_staff_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


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
    services.verify_organization(organization=organization, verified_by=request.user, verified=verified)
    messages.success(
        request, f"{organization.name} is {'verified' if verified else 'no longer marked verified'}."
    )
    return redirect("brands_staff:list")

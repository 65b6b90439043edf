"""Supervisors administer staff accounts (the rest of account management is allauth's)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render

from accounts.decorators import supervisor_required
from accounts.forms import StaffAccountForm
from accounts.models import User
from accounts.roles import STAFF_ROLES
from accounts.services import create_staff_user


@supervisor_required
def staff_accounts(request):
    form = StaffAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = create_staff_user(
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    display_name=form.cleaned_data["display_name"],
                    role=form.cleaned_data["role"],
                )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"{user.email} was invited by email to set a password and turn on 2FA.")
            return redirect("accounts_staff:list")
    people = (
        User.objects.filter(groups__name__in=[str(r) for r in STAFF_ROLES])
        .distinct()
        .prefetch_related("groups")
        .order_by("email")
    )
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/staff_accounts.html", {"form": form, "page": page})

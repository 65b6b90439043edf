"""Supervisors administer staff accounts; people keep their notification settings (the rest is allauth's)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render

from accounts.decorators import supervisor_required
from accounts.forms import NotificationSettingsForm, StaffAccountForm
from accounts.models import User
from accounts.roles import STAFF_ROLES
from accounts.services import create_staff_user, set_notification_settings


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


@login_required
def notification_settings(request):
    # An unticked box sends an empty POST: bind on the method, not on the data.
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"notify_case_updates": request.user.notify_case_updates},
    )
    if request.method == "POST" and form.is_valid():
        set_notification_settings(request.user, notify_case_updates=form.cleaned_data["notify_case_updates"])
        messages.success(request, "Your notification settings are saved.")
        return redirect("account_settings:notifications")
    return render(request, "accounts/notifications.html", {"form": form})

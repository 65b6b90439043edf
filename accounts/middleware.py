"""Staff and supervisors must enable MFA before any staff page (the desk or the admin) opens."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect

from accounts.rules import is_staff_member

STAFF_PREFIXES = ("/staff/", "/admin/")


class StaffMFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        user = getattr(request, "user", None)
        if (
            path.startswith(STAFF_PREFIXES)
            and user is not None
            and user.is_authenticated
            and (is_staff_member(user) or user.is_staff)
            and not is_mfa_enabled(user)
        ):
            messages.warning(request, "Staff accounts must turn on two-factor authentication first.")
            return redirect("mfa_activate_totp")
        return self.get_response(request)

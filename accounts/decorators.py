"""The one way a web view asks "may this user do this?": a django-rules permission (each app's rules.py).

Signed out → the login page; signed in without the permission → 403. Templates ask the same permissions
with `{% has_perm %}` and the API's permission classes with `user.has_perm`.
"""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def permission_required(perm: str, *, obj: Callable | None = None, message: str = ""):
    """Require a rules permission; `obj(request, *args, **kwargs)` gives the object for object permissions."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            target = obj(request, *args, **kwargs) if obj else None
            if not request.user.has_perm(perm, target):
                raise PermissionDenied(message or None)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


staff_required = permission_required("accounts.access_staff_desk", message="Union staff only.")
supervisor_required = permission_required("accounts.administer", message="Supervisors only.")

"""django-axes: which account a sign-in attempt is for (AXES_USERNAME_CALLABLE).

allauth authenticates with credentials {"email": ..., "password": ...}, while the form field is "login" and
axes' own success handler passes {"login": <user's email>}. Reading only AXES_USERNAME_FORM_FIELD, axes
recorded every failure under username None: lockouts were per address for all accounts together, and a
successful sign-in never reset the failures (AXES_RESET_ON_SUCCESS). This resolves the email in every case.
"""

from __future__ import annotations


def attempted_username(request, credentials: dict | None = None) -> str | None:
    if credentials:
        value = credentials.get("email") or credentials.get("login") or credentials.get("username")
    else:
        data = getattr(request, "data", None) or getattr(request, "POST", {})
        value = data.get("login") or data.get("email")
    value = str(value or "").strip().lower()
    return value or None

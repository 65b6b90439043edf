"""Helpers for brand tests: API keys made the way operators make them (the create_api_key command)."""

import io

from django.core.management import call_command

from registry.brands.models import ApiKey, Organization


def key_from_command(organization: str, scopes: str | None = None) -> str:
    out = io.StringIO()
    args = ["create_api_key", "--organization", organization]
    if scopes is not None:
        args += ["--scopes", scopes]
    call_command(*args, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def org(name: str) -> Organization:
    return Organization.objects.get(name=name)


def key_object(plaintext: str) -> ApiKey:
    return ApiKey.objects.get(prefix="_".join(plaintext.split("_", 2)[:2]))


def bearer(key: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

"""Helpers of the change-feed tests: brands with keys, checks and licenses made through the services, and a
poller that follows cursors the way a client does."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from registry.consent import revocation, signing
from registry.licensing import licenses
from registry.licensing.imports import record_existing_license
from tests.brands.helpers import bearer, key_from_command, org
from tests.conftest import make_user
from tests.factories import ADVERTISING_ALLOW, sign_terms

URL = "/api/v1/changes/"


def brand_key(name: str) -> str:
    return key_from_command(name)


def check(client, key: str, talent) -> None:
    body = {"talent": talent.registry_id, "use": "advertising", "modality": "image", "territory": "US"}
    response = client.post(
        "/api/v1/permissions/check/", {**body, "channel": "online"}, format="json", **bearer(key)
    )
    assert response.status_code == 200, response.content


def new_version(talent, territories=("US", "CA")):
    return sign_terms(talent, {"advertising": {**ADVERTISING_ALLOW, "territories": list(territories)}})


def revoke(talent):
    ctx = signing.SignatureContext(actor=None, signed_as="talent", signer_name=talent.stage_name)
    return revocation.revoke(
        talent=talent, uses=["advertising"], effective_from=timezone.localdate(), ctx=ctx
    )


def license_for(talent, organization: str, *, valid_until: date | None = None, ref: str = "paper 1"):
    today = timezone.localdate()
    license, _ = record_existing_license(
        talent=talent,
        organization=org(organization),
        use="editorial",
        modalities=["image"],
        territories=["US"],
        channels=["online"],
        product_category="apparel",
        valid_from=today - timedelta(days=60),
        valid_until=valid_until or today + timedelta(days=300),
        fee=None,
        description="Editorial lookbook feature for the spring apparel line in our online magazine",
        document_ref=ref,
    )
    return license


def terminate(license) -> None:
    staff = make_user(f"staff-{license.license_id.lower()}@example.org", "staff")
    licenses.terminate(
        license_id=license.license_id, actor=staff, reason="The brand breached the attribution duty"
    )


def page(client, key: str, **params) -> dict:
    response = client.get(URL, params, **bearer(key))
    assert response.status_code == 200, response.content
    return response.json()


def poll(client, key: str, cursor: str | None, *, limit: int = 2) -> tuple[list[tuple], str]:
    """Follow `next` until `has_more` is false, as a client loop does; the changes as (kind, talent, n|id)."""
    seen = []
    while True:
        params = {"limit": limit, **({"after": cursor} if cursor else {})}
        body = page(client, key, **params)
        seen += [(c["kind"], c["talent"], c["terms_version"] or c["license_id"]) for c in body["results"]]
        assert body["next"] and (not body["results"] or body["next"] == body["results"][-1]["id"])
        cursor = body["next"]
        if not body["has_more"]:
            return seen, cursor

"""Demo organizations with fixed demo API keys (their logged checks: registry.checks.demo). Idempotent.

The demo keys are fixed strings, like the demo passwords: the same key works after every `seed_demo`, so the
README can show a curl line. Demo data is for local use only; never seed a production database.
"""

from __future__ import annotations

from accounts.models import User
from registry.brands import services
from registry.brands.models import ApiKey, Membership, Organization

# (name, kind, owner email, website, key prefix, key secret)
DEMO_ORGANIZATIONS = [
    (
        "Acme Apparel",
        Organization.Kind.BRAND,
        "brand@demo.example",
        "https://acme-apparel.example",
        "lr_demoacme0001",
        "demo-acme-apparel-key-local-use-only",
    ),
    (
        "Nimbus Media",
        Organization.Kind.AGENCY,
        "brand2@demo.example",
        "https://nimbus-media.example",
        "lr_demonimbus01",
        "demo-nimbus-media-key-local-use-only",
    ),
]


def demo_key(name: str) -> str:
    for org_name, _, _, _, prefix, secret in DEMO_ORGANIZATIONS:
        if org_name == name:
            return f"{prefix}_{secret}"
    raise KeyError(name)


def _ensure_organization(name, kind, owner, website) -> Organization:
    organization = Organization.objects.filter(name=name).first()
    if organization is None:
        organization = services.create_organization(
            name=name, actor=owner, kind=kind, website=website, contact_email=owner.email if owner else ""
        )
    elif owner is not None:
        Membership.objects.get_or_create(
            organization=organization, user=owner, defaults={"role": Membership.Role.OWNER}
        )
    return organization


def seed(stdout) -> None:
    owners = {u.email: u for u in User.objects.filter(email__in=[o[2] for o in DEMO_ORGANIZATIONS])}
    staff = User.objects.filter(email="staff@demo.example").first()
    for name, kind, email, website, prefix, secret in DEMO_ORGANIZATIONS:
        organization = _ensure_organization(name, kind, owners.get(email), website)
        if not ApiKey.objects.filter(prefix=prefix).exists():
            services.create_api_key(
                organization=organization,
                name="Demo key",
                scopes=services.API_KEY_SCOPES,
                prefix=prefix,
                secret=secret,
            )
        stdout.write(f"Demo API key for {name} (all scopes): {prefix}_{secret}")
    acme = Organization.objects.get(name="Acme Apparel")
    if staff is not None and not acme.is_verified:
        services.verify_organization(organization=acme, actor=staff)

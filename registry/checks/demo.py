"""Demo permission checks of the demo organizations (registry.brands.demo), logged once. Idempotent."""

from __future__ import annotations

from accounts.models import User
from registry.brands.demo import DEMO_ORGANIZATIONS
from registry.brands.models import Organization, PermissionCheck
from registry.checks import services
from registry.talent.models import TalentProfile

DEMO_CHECKS = [
    # (organization, talent membership number, use, modality, territory, channel)
    ("Acme Apparel", "U-104233", "advertising", "image", "US", "online"),
    ("Acme Apparel", "U-104233", "advertising", "video", "DE", "social"),
    ("Acme Apparel", "U-104233", "ai_training", "image", "US", "online"),
    ("Nimbus Media", "U-104234", "editorial", "voice", "GB", "broadcast"),
    ("Nimbus Media", "U-104233", "replica_use", "image", "US", "social"),
]


def seed(stdout) -> None:
    names = [o[0] for o in DEMO_ORGANIZATIONS]
    if PermissionCheck.objects.filter(organization__name__in=names).exists():
        return
    owner_emails = {o[0]: o[2] for o in DEMO_ORGANIZATIONS}
    owners = {u.email: u for u in User.objects.filter(email__in=owner_emails.values())}
    talent = {
        t.membership_number: t.registry_id
        for t in TalentProfile.objects.filter(membership_number__in={c[1] for c in DEMO_CHECKS})
    }
    for org_name, number, use, modality, territory, channel in DEMO_CHECKS:
        if number not in talent:
            continue
        services.run_check(
            {
                "talent": talent[number],
                "use": use,
                "modality": modality,
                "territory": territory,
                "channel": channel,
            },
            organization=Organization.objects.get(name=org_name),
            actor=owners.get(owner_emails[org_name]),
            source=PermissionCheck.Source.WEB,
        )

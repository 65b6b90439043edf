"""Create demo data for every app (idempotent): `python manage.py seed_demo`."""

import io

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import demo as accounts_demo
from registry.brands import demo as brands_demo
from registry.cases import demo as cases_demo
from registry.checks import demo as checks_demo
from registry.consent import demo as consent_demo
from registry.licensing import demo as licensing_demo
from registry.talent import demo as talent_demo

# Order matters: later apps build on earlier ones' demo data.
DEMO_MODULES = [
    accounts_demo,
    talent_demo,
    consent_demo,
    brands_demo,
    checks_demo,
    licensing_demo,
    cases_demo,
]


class Command(BaseCommand):
    help = "Create demo users, talent, terms, brands, licenses and cases. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet", action="store_true", help="Print only the address and the demo logins at the end."
        )

    def handle(self, *args, quiet=False, **options):
        out = io.StringIO() if quiet else self.stdout
        for module in DEMO_MODULES:
            with transaction.atomic():
                module.seed(out)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(welcome())


def welcome() -> str:
    """What a first run ends with: where to go and who to sign in as."""
    width = max(len(email) for email, _, _ in accounts_demo.DEMO_USERS)
    logins = "\n".join(f"  {email:<{width}}  {name}" for email, name, _ in accounts_demo.DEMO_USERS)
    mail = settings.EMAIL_FILE_PATH if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend") else None
    lines = [
        "",
        f"Open {settings.SITE_URL}/ and sign in as one of (password {accounts_demo.DEMO_PASSWORD}):",
        logins,
        "Staff and the supervisor use two-factor authentication: `manage.py demo_totp` prints the code.",
    ]
    if mail:
        lines.append(f"Emails are written to {mail}/ (one file per message).")
    return "\n".join(lines) + "\n"

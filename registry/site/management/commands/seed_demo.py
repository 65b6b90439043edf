"""Create demo data for every app (idempotent): `python manage.py seed_demo`."""

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

    def handle(self, *args, **options):
        for module in DEMO_MODULES:
            with transaction.atomic():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

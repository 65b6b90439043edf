"""Create demo data for every app (idempotent): `python manage.py seed_demo`."""

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Order matters: later apps build on earlier ones' demo data.
DEMO_MODULES = [
    "registry.core.demo",
    "registry.talent.demo",
    "registry.consent.demo",
    "registry.brands.demo",
    "registry.checks.demo",
    "registry.licensing.demo",
    "registry.cases.demo",
]


class Command(BaseCommand):
    help = "Create demo users, talent, terms, brands, licenses and cases. Safe to run again."

    def handle(self, *args, **options):
        for name in DEMO_MODULES:
            try:
                module = import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            with transaction.atomic():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

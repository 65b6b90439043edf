"""`manage.py import_registry FILE.json`: import talent, paper-signed terms and licenses (product.md §2)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registry.consent.models import RegistryImport
from registry.importer.apply import run_import
from registry.importer.document import ImportFailed


class Command(BaseCommand):
    help = (
        "Create or update talent, their paper-signed term versions and existing licenses from a JSON file "
        "(docs/product.md §2). One transaction: a bad file changes nothing and every bad row is listed. "
        "Re-importing the same file changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the JSON file")
        parser.add_argument("--dry-run", action="store_true", help="Show what would change, change nothing")

    def handle(self, *args, file, dry_run=False, **options):
        path = Path(file)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror or exc}.")
        try:
            report = run_import(
                raw, source=RegistryImport.Source.COMMAND, file_name=path.name, dry_run=dry_run
            )
        except ImportFailed as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(exc.errors)} error(s): nothing was imported.")
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        elif report.changed:
            self.stdout.write(self.style.SUCCESS("Import complete."))
        else:
            self.stdout.write(
                self.style.SUCCESS("Nothing to change: everything in the file is already imported.")
            )

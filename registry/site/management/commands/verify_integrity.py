"""`manage.py verify_integrity`: re-hash signed terms, evidence originals and notice PDFs, re-verify every
license certificate; print each mismatch and exit 1 if there is any (0 when everything matches)."""

from django.core.management.base import BaseCommand, CommandError

from registry.site.integrity import BATCH, Counts, verify


class Command(BaseCommand):
    help = (
        "Re-hash every signed terms version, evidence original and notice PDF and re-verify every license "
        "certificate signature. Prints each mismatch (kind, id, what differs); exits 1 if any."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH, help="Rows read per database round trip.")

    def handle(self, *args, batch: int, **options):
        counts = Counts()
        mismatches = 0
        for mismatch in verify(counts, batch=max(1, batch)):
            mismatches += 1
            self.stdout.write(f"MISMATCH {mismatch}")
        checked = ", ".join(f"{n} {kind}" for kind, n in counts.checked.items())
        if mismatches:
            raise CommandError(f"{mismatches} mismatch(es) found; checked {checked}.", returncode=1)
        self.stdout.write(self.style.SUCCESS(f"Integrity verified: {checked}; no mismatch."))

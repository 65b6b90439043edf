"""manage.py verify_certificate LICENSE_ID_OR_FILE: check a signature against our published keys."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from registry.licensing import certificates
from registry.licensing.models import License


class Command(BaseCommand):
    help = (
        "Verify a license certificate: a stored license by ID, or a certificate JSON file, against the keys "
        "this registry publishes at /.well-known/license-signing-key.json. Exits 1 if it is not valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", help="A license ID (LIC-…) or the path of a certificate JSON file.")

    def handle(self, *args, source, **options):
        path = Path(source)
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeError) as exc:
                raise CommandError(f"Cannot read {source}: {exc}")
        else:
            license = License.objects.filter(license_id=source.strip().upper()).first()
            if license is None:
                raise CommandError(f"{source} is neither a file nor a license ID known here.")
            text = json.dumps(certificates.certificate_for(license))
        if not certificates.verify_certificate(text):
            raise CommandError(f"INVALID: {source} does not carry a valid signature by a key published here.")
        payload = json.loads(text)["payload"]
        self.stdout.write(
            f"valid: {payload.get('license_id')} for {payload.get('talent', {}).get('stage_name')} "
            f"({certificates.CANONICALIZATION}, Ed25519, key {json.loads(text).get('key_id')})"
        )

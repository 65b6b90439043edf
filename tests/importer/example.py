"""product.md §2's example registry file and helpers shared by the importer tests."""

import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from registry.brands.models import Organization
from registry.consent.models import Term, TermVersion
from registry.licensing.models import License
from registry.talent.models import TalentProfile

EXAMPLE = {
    "talent": [
        {
            "registry_id": "TR-7KQ3-M9XD",
            "stage_name": "Ana Reyes",
            "legal_name": "Ana María Reyes",
            "email": "ana@example.org",
            "date_of_birth": "1996-04-02",
            "membership_number": "U-104233",
            "disciplines": ["model"],
            "terms": [
                {
                    "effective_from": "2026-01-01",
                    "document_ref": "paper form 2026-001",
                    "uses": {
                        "advertising": {
                            "decision": "allow",
                            "modalities": ["image", "video"],
                            "territories": ["US", "CA"],
                            "channels": ["online", "print"],
                            "valid_from": "2026-01-01",
                            "valid_until": "2027-12-31",
                            "min_fee": {"amount": "500.00", "currency": "USD"},
                            "attribution": True,
                            "ai_disclosure": False,
                            "excluded_categories": ["political", "tobacco"],
                        },
                        "ai_training": {"decision": "deny"},
                    },
                }
            ],
            "licenses": [
                {
                    "organization": "Acme Apparel",
                    "use": "replica_use",
                    "modalities": ["image"],
                    "territories": ["US"],
                    "channels": ["social"],
                    "product_category": "apparel",
                    "valid_from": "2026-03-01",
                    "valid_until": "2026-09-30",
                    "fee": {"amount": "2500.00", "currency": "USD"},
                    "description": "AI-generated try-on images for the spring catalogue",
                }
            ],
        }
    ]
}


def write(tmp_path, document, name="registry.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return str(path)


def counts():
    return (
        TalentProfile.objects.count(),
        TalentProfile.history.count(),
        TermVersion.objects.count(),
        Term.objects.count(),
        License.objects.count(),
        Organization.objects.count(),
    )


def run_command(path):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_registry", path, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def upload(name, document):
    # Files usually end with a newline: the preview → confirm round trip must keep the exact bytes.
    return SimpleUploadedFile(name, json.dumps(document).encode() + b"\n", content_type="application/json")

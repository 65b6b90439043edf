"""Licenses and requests for replica creation, replica use and digital alteration always carry the
AI-disclosure duty (product.md §3); rows written before the duty was recorded get it."""

from django.db import migrations

ALWAYS_DISCLOSED = ("replica_creation", "replica_use", "digital_alteration")


def disclose(apps, schema_editor):
    for name in ("License", "LicenseRequest"):
        apps.get_model("licensing", name).objects.filter(use__in=ALWAYS_DISCLOSED).update(ai_disclosure=True)


class Migration(migrations.Migration):
    dependencies = [("licensing", "0003_license_duties")]

    operations = [migrations.RunPython(disclose, migrations.RunPython.noop)]

"""Terms limited to organizations, synonyms for product categories.

Adding a column with a default makes SQLite rebuild `consent_term`, which drops its immutability triggers;
they are installed again afterwards with the SQL of migration 0003 (a migration, so it never changes).
"""

from importlib import import_module

from django.db import migrations, models

TRIGGERS = import_module("registry.consent.migrations.0003_immutability_triggers_and_categories")


def reinstall_sqlite_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        TRIGGERS.install_triggers(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0003_immutability_triggers_and_categories"),
    ]

    operations = [
        migrations.AddField(
            model_name="productcategory",
            name="synonyms",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name="term",
            name="organizations",
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.RunPython(reinstall_sqlite_triggers, migrations.RunPython.noop),
    ]

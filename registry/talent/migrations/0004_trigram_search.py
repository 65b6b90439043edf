"""Trigram search on PostgreSQL: the pg_trgm extension and a GIN index on search_name. No-op on SQLite."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEX = "talent_search_name_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON talent_talentprofile USING gin (search_name gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("talent", "0003_withdrawal_and_revocation_record"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]

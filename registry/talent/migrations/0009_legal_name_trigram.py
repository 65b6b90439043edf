"""Staff member search matches legal names anywhere, case-insensitively (`legal_name__icontains`, i.e.
UPPER(legal_name) LIKE UPPER('%…%')): a trigram GIN index on that expression. No-op on SQLite."""

from django.db import migrations

INDEX = "talent_legal_name_upper_trgm"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON talent_talentprofile "
        "USING gin ((UPPER(legal_name::text)) gin_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("talent", "0008_membership_upper_index"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]

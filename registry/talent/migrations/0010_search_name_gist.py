"""The public fuzzy search picks its candidates by KNN (`ORDER BY needle <<-> search_name LIMIT k`): a GiST
trigram index on search_name serves that order (the GIN index, talent_search_name_trgm, stays for the staff
and case searches' containment). No-op on SQLite."""

from django.db import migrations

INDEX = "talent_search_name_gist"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON talent_talentprofile USING gist (search_name gist_trgm_ops)"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [
        ("talent", "0009_legal_name_trigram"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]

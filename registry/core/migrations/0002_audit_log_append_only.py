"""The audit log is append-only in the database too (SQLite and PostgreSQL triggers, registry.core.appendonly).

The column list is written out as it was when this migration was made: a migration must not change when the
code does. Only clearing `actor_id` (the account was deleted) is allowed.
"""

from django.db import migrations

from registry.core import appendonly

TABLE = "core_auditevent"
COLUMNS = ["id", "actor_id", "action", "object_type", "object_id", "detail", "ip_address", "at"]
LINKS = ["actor_id"]


def forwards(apps, schema_editor):
    appendonly.install(schema_editor, TABLE, COLUMNS, LINKS)


def backwards(apps, schema_editor):
    appendonly.uninstall(schema_editor, TABLE)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

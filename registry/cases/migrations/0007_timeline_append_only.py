"""Case timelines are append-only in the database too (SQLite and PostgreSQL triggers,
registry.core.appendonly).

The column list is written out as it was when this migration was made. Only clearing `actor_id` (the account
was deleted) is allowed.
"""

from django.db import migrations

from registry.core import appendonly

TABLE = "cases_timelineevent"
COLUMNS = ["id", "case_id", "actor_id", "kind", "from_status", "to_status", "message", "data", "at"]
LINKS = ["actor_id"]


def forwards(apps, schema_editor):
    appendonly.install(schema_editor, TABLE, COLUMNS, LINKS)


def backwards(apps, schema_editor):
    appendonly.uninstall(schema_editor, TABLE)


class Migration(migrations.Migration):
    dependencies = [("cases", "0006_notice_responses"), ("core", "0002_audit_log_append_only")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]

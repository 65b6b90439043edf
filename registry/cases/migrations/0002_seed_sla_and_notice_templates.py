"""Seed the default SLA policies and the two notice templates (supervisors edit them afterwards)."""

from django.db import migrations

from registry.cases.notice_defaults import DEFAULT_SLA, DEFAULT_TEMPLATES


def seed(apps, schema_editor):
    SLAPolicy = apps.get_model("cases", "SLAPolicy")
    NoticeTemplate = apps.get_model("cases", "NoticeTemplate")
    for priority, triage_hours, response_days in DEFAULT_SLA:
        SLAPolicy.objects.get_or_create(
            priority=priority, defaults={"triage_hours": triage_hours, "response_days": response_days}
        )
    for template in DEFAULT_TEMPLATES:
        NoticeTemplate.objects.get_or_create(name=template["name"], defaults=template)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

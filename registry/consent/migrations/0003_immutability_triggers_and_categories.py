"""Database-enforced immutability of signed term versions (SQLite and PostgreSQL), default product categories."""

from django.db import migrations


def install_triggers(apps, schema_editor):
    from registry.consent import dbguard

    dbguard.install(schema_editor)


def uninstall_triggers(apps, schema_editor):
    from registry.consent import dbguard

    dbguard.uninstall(schema_editor)


DEFAULT_CATEGORIES = {
    "political": "Political",
    "adult": "Adult",
    "tobacco": "Tobacco",
    "alcohol": "Alcohol",
    "gambling": "Gambling",
    "weapons": "Weapons",
    "pharmaceutical": "Pharmaceutical",
    "religious": "Religious",
    "cosmetic_surgery": "Cosmetic surgery",
}


def add_categories(apps, schema_editor):
    ProductCategory = apps.get_model("consent", "ProductCategory")
    for slug, label in DEFAULT_CATEGORIES.items():
        ProductCategory.objects.get_or_create(slug=slug, defaults={"label": label})


class Migration(migrations.Migration):
    dependencies = [("consent", "0002_terms_separate_consent_imports")]

    operations = [
        migrations.RunPython(install_triggers, uninstall_triggers),
        migrations.RunPython(add_categories, migrations.RunPython.noop),
    ]

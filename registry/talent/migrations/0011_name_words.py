"""The words of every stage name, for the fuzzy search's typo correction (talent.models.NameWord), with a
GiST trigram index serving `ORDER BY word <-> typed LIMIT k` (PostgreSQL), filled from the names registered."""

from django.db import migrations, models

INDEX = "talent_nameword_gist"


def fill(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON talent_nameword USING gist (word gist_trgm_ops)"
        )
        schema_editor.execute(
            "INSERT INTO talent_nameword (word) SELECT DISTINCT w FROM talent_talentprofile, "
            "unnest(string_to_array(search_name, ' ')) AS w WHERE length(w) BETWEEN 3 AND 100 "
            "ON CONFLICT DO NOTHING"
        )
        return
    TalentProfile = apps.get_model("talent", "TalentProfile")
    NameWord = apps.get_model("talent", "NameWord")
    names = TalentProfile.objects.values_list("search_name", flat=True).iterator()
    words = {w for name in names for w in (name or "").split() if 3 <= len(w) <= 100}
    NameWord.objects.bulk_create([NameWord(word=w) for w in words], ignore_conflicts=True, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("talent", "0010_search_name_gist"),
    ]

    operations = [
        migrations.CreateModel(
            name="NameWord",
            fields=[
                ("word", models.CharField(max_length=100, primary_key=True, serialize=False)),
            ],
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]

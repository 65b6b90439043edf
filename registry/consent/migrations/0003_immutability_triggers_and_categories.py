"""Database-enforced immutability of signed term versions (SQLite and PostgreSQL), default product categories.

The trigger SQL is written out here as it was when this migration was made (registry.consent.dbguard keeps the
live copy for `flush` on SQLite): a migration must not change when the code does.
"""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE TRIGGER consent_termversion_no_update_signed BEFORE UPDATE ON consent_termversion
FOR EACH ROW WHEN OLD.status = 'signed' AND (
  NEW.id IS NOT OLD.id OR NEW.talent_id IS NOT OLD.talent_id OR NEW.number IS NOT OLD.number OR NEW.status IS NOT OLD.status OR NEW.effective_from IS NOT OLD.effective_from OR NEW.is_revocation IS NOT OLD.is_revocation OR NEW.note IS NOT OLD.note OR NEW.created_at IS NOT OLD.created_at OR NEW.signed_at IS NOT OLD.signed_at OR NEW.signed_as IS NOT OLD.signed_as OR NEW.signer_name IS NOT OLD.signer_name OR NEW.signer_ip IS NOT OLD.signer_ip OR NEW.signer_user_agent IS NOT OLD.signer_user_agent OR NEW.text_shown IS NOT OLD.text_shown OR NEW.canonical_json IS NOT OLD.canonical_json OR NEW.sha256 IS NOT OLD.sha256 OR NEW.document_ref IS NOT OLD.document_ref
  OR (NEW.created_by_id IS NOT OLD.created_by_id AND NEW.created_by_id IS NOT NULL)
  OR (NEW.signed_by_id IS NOT OLD.signed_by_id AND NEW.signed_by_id IS NOT NULL))
BEGIN SELECT RAISE(ABORT, 'consent: signed terms are immutable; sign a new version instead'); END""",
    """CREATE TRIGGER consent_termversion_no_delete_signed BEFORE DELETE ON consent_termversion
FOR EACH ROW WHEN OLD.status = 'signed'
BEGIN SELECT RAISE(ABORT, 'consent: signed terms are immutable; sign a new version instead'); END""",
    """CREATE TRIGGER consent_term_no_insert_signed BEFORE INSERT ON consent_term
FOR EACH ROW WHEN (SELECT status FROM consent_termversion WHERE id = NEW.version_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'consent: the terms of a signed version are immutable'); END""",
    """CREATE TRIGGER consent_term_no_update_signed BEFORE UPDATE ON consent_term
FOR EACH ROW WHEN (SELECT status FROM consent_termversion WHERE id = OLD.version_id) = 'signed' OR (SELECT status FROM consent_termversion WHERE id = NEW.version_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'consent: the terms of a signed version are immutable'); END""",
    """CREATE TRIGGER consent_term_no_delete_signed BEFORE DELETE ON consent_term
FOR EACH ROW WHEN (SELECT status FROM consent_termversion WHERE id = OLD.version_id) = 'signed'
BEGIN SELECT RAISE(ABORT, 'consent: the terms of a signed version are immutable'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS consent_termversion_no_update_signed",
    "DROP TRIGGER IF EXISTS consent_termversion_no_delete_signed",
    "DROP TRIGGER IF EXISTS consent_term_no_insert_signed",
    "DROP TRIGGER IF EXISTS consent_term_no_update_signed",
    "DROP TRIGGER IF EXISTS consent_term_no_delete_signed",
]
POSTGRES_CREATE = [
    """CREATE OR REPLACE FUNCTION consent_termversion_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status = 'signed' THEN
      RAISE EXCEPTION 'consent: signed terms are immutable; sign a new version instead' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'signed' AND (
       ROW(NEW.id, NEW.talent_id, NEW.number, NEW.status, NEW.effective_from, NEW.is_revocation, NEW.note, NEW.created_at, NEW.signed_at, NEW.signed_as, NEW.signer_name, NEW.signer_ip, NEW.signer_user_agent, NEW.text_shown, NEW.canonical_json, NEW.sha256, NEW.document_ref) IS DISTINCT FROM ROW(OLD.id, OLD.talent_id, OLD.number, OLD.status, OLD.effective_from, OLD.is_revocation, OLD.note, OLD.created_at, OLD.signed_at, OLD.signed_as, OLD.signer_name, OLD.signer_ip, OLD.signer_user_agent, OLD.text_shown, OLD.canonical_json, OLD.sha256, OLD.document_ref)
       OR (NEW.created_by_id IS DISTINCT FROM OLD.created_by_id AND NEW.created_by_id IS NOT NULL)
       OR (NEW.signed_by_id IS DISTINCT FROM OLD.signed_by_id AND NEW.signed_by_id IS NOT NULL)) THEN
    RAISE EXCEPTION 'consent: signed terms are immutable; sign a new version instead' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$""",
    """CREATE OR REPLACE FUNCTION consent_term_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE')
     AND EXISTS (SELECT 1 FROM consent_termversion WHERE id = OLD.version_id AND status = 'signed') THEN
    RAISE EXCEPTION 'consent: the terms of a signed version are immutable' USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE')
     AND EXISTS (SELECT 1 FROM consent_termversion WHERE id = NEW.version_id AND status = 'signed') THEN
    RAISE EXCEPTION 'consent: the terms of a signed version are immutable' USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",
    "DROP TRIGGER IF EXISTS consent_termversion_guard ON consent_termversion",
    """CREATE TRIGGER consent_termversion_guard BEFORE UPDATE OR DELETE ON consent_termversion
FOR EACH ROW EXECUTE FUNCTION consent_termversion_guard()""",
    "DROP TRIGGER IF EXISTS consent_term_guard ON consent_term",
    """CREATE TRIGGER consent_term_guard BEFORE INSERT OR UPDATE OR DELETE ON consent_term
FOR EACH ROW EXECUTE FUNCTION consent_term_guard()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS consent_termversion_guard ON consent_termversion",
    "DROP TRIGGER IF EXISTS consent_term_guard ON consent_term",
    "DROP FUNCTION IF EXISTS consent_termversion_guard()",
    "DROP FUNCTION IF EXISTS consent_term_guard()",
]


def install_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_DROP + SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"No immutability triggers for the {vendor!r} database backend.")
    for sql in statements:
        schema_editor.execute(sql)


def uninstall_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(sql)


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

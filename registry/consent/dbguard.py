"""Database triggers that make signed term versions and their terms append-only, on SQLite and PostgreSQL.

The service layer and the models already refuse to change a signed version; these triggers close every other
path (a queryset `update()`, raw SQL, another program on the same database). An UPDATE of a signed
`consent_termversion` row is refused unless it only clears the `created_by`/`signed_by` user links (Django's
SET_NULL when an account is deleted: the typed signer name, IP and user agent stay). A DELETE of a signed
version, and any INSERT/UPDATE/DELETE of a `consent_term` row of a signed version, is refused.

Both databases raise an integrity error (SQLite RAISE(ABORT) → SQLITE_CONSTRAINT, PostgreSQL SQLSTATE 23001
restrict_violation), which Django surfaces as `django.db.IntegrityError`.

`manage.py flush` (and the test runner's flush between transactional tests) empties tables with DELETE on
SQLite; PostgreSQL uses TRUNCATE, which row triggers do not see. `allow_flush` wraps SQLite's flush SQL so the
triggers are dropped and re-created around those DELETEs inside the same transaction.
"""

from __future__ import annotations

# Columns of a signed version that never change. created_by_id / signed_by_id may only become NULL.
FROZEN_VERSION_COLUMNS = (
    "id",
    "talent_id",
    "number",
    "status",
    "effective_from",
    "is_revocation",
    "note",
    "created_at",
    "signed_at",
    "signed_as",
    "signer_name",
    "signer_ip",
    "signer_user_agent",
    "text_shown",
    "canonical_json",
    "sha256",
    "document_ref",
)

MESSAGE_VERSION = "consent: signed terms are immutable; sign a new version instead"
MESSAGE_TERM = "consent: the terms of a signed version are immutable"

TRIGGER_NAMES = (
    "consent_termversion_no_update_signed",
    "consent_termversion_no_delete_signed",
    "consent_term_no_insert_signed",
    "consent_term_no_update_signed",
    "consent_term_no_delete_signed",
)


def _sqlite_changed(columns) -> str:
    return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)


def _version_signed(ref: str) -> str:
    return f"(SELECT status FROM consent_termversion WHERE id = {ref}.version_id) = 'signed'"  # noqa: S608


SQLITE_CREATE = [
    f"""CREATE TRIGGER consent_termversion_no_update_signed BEFORE UPDATE ON consent_termversion
FOR EACH ROW WHEN OLD.status = 'signed' AND (
  {_sqlite_changed(FROZEN_VERSION_COLUMNS)}
  OR (NEW.created_by_id IS NOT OLD.created_by_id AND NEW.created_by_id IS NOT NULL)
  OR (NEW.signed_by_id IS NOT OLD.signed_by_id AND NEW.signed_by_id IS NOT NULL))
BEGIN SELECT RAISE(ABORT, '{MESSAGE_VERSION}'); END""",
    f"""CREATE TRIGGER consent_termversion_no_delete_signed BEFORE DELETE ON consent_termversion
FOR EACH ROW WHEN OLD.status = 'signed'
BEGIN SELECT RAISE(ABORT, '{MESSAGE_VERSION}'); END""",
    f"""CREATE TRIGGER consent_term_no_insert_signed BEFORE INSERT ON consent_term
FOR EACH ROW WHEN {_version_signed("NEW")}
BEGIN SELECT RAISE(ABORT, '{MESSAGE_TERM}'); END""",
    f"""CREATE TRIGGER consent_term_no_update_signed BEFORE UPDATE ON consent_term
FOR EACH ROW WHEN {_version_signed("OLD")} OR {_version_signed("NEW")}
BEGIN SELECT RAISE(ABORT, '{MESSAGE_TERM}'); END""",
    f"""CREATE TRIGGER consent_term_no_delete_signed BEFORE DELETE ON consent_term
FOR EACH ROW WHEN {_version_signed("OLD")}
BEGIN SELECT RAISE(ABORT, '{MESSAGE_TERM}'); END""",
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGER_NAMES]


def _pg_distinct(columns) -> str:
    new = ", ".join(f"NEW.{c}" for c in columns)
    old = ", ".join(f"OLD.{c}" for c in columns)
    return f"ROW({new}) IS DISTINCT FROM ROW({old})"


POSTGRES_CREATE = [
    f"""CREATE OR REPLACE FUNCTION consent_termversion_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status = 'signed' THEN
      RAISE EXCEPTION '{MESSAGE_VERSION}' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'signed' AND (
       {_pg_distinct(FROZEN_VERSION_COLUMNS)}
       OR (NEW.created_by_id IS DISTINCT FROM OLD.created_by_id AND NEW.created_by_id IS NOT NULL)
       OR (NEW.signed_by_id IS DISTINCT FROM OLD.signed_by_id AND NEW.signed_by_id IS NOT NULL)) THEN
    RAISE EXCEPTION '{MESSAGE_VERSION}' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$""",
    f"""CREATE OR REPLACE FUNCTION consent_term_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE')
     AND EXISTS (SELECT 1 FROM consent_termversion WHERE id = OLD.version_id AND status = 'signed') THEN
    RAISE EXCEPTION '{MESSAGE_TERM}' USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE')
     AND EXISTS (SELECT 1 FROM consent_termversion WHERE id = NEW.version_id AND status = 'signed') THEN
    RAISE EXCEPTION '{MESSAGE_TERM}' USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$""",  # noqa: S608 (constants only, no input)
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


def install(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE_DROP + SQLITE_CREATE, "postgresql": POSTGRES_CREATE}.get(vendor)
    if statements is None:
        raise NotImplementedError(f"No immutability triggers for the {vendor!r} database backend.")
    for sql in statements:
        schema_editor.execute(sql)


def uninstall(schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}.get(vendor, []):
        schema_editor.execute(sql)


def allow_flush(sender, connection, **kwargs) -> None:
    """connection_created receiver: on SQLite, let `flush` empty the consent tables (see module docstring)."""
    if connection.vendor != "sqlite" or getattr(connection.ops, "_consent_flush_wrapped", False):
        return
    original = connection.ops.sql_flush

    def sql_flush(style, tables, *args, **kw):
        statements = original(style, tables, *args, **kw)
        if not {"consent_term", "consent_termversion"} & set(tables):
            return statements
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'consent_term%'"
            )
            installed = {row[0] for row in cursor.fetchall()}
        recreate = [sql for name, sql in zip(TRIGGER_NAMES, SQLITE_CREATE, strict=True) if name in installed]
        return [*SQLITE_DROP, *statements, *recreate]

    connection.ops.sql_flush = sql_flush
    connection.ops._consent_flush_wrapped = True

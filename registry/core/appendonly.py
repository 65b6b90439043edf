"""Database triggers that make a table append-only (the audit log, case timelines) on SQLite and PostgreSQL.

The models already refuse `save()` of an existing row and `delete()`; these triggers close every other path
(a queryset `update()`, raw SQL, another program on the same database). One UPDATE is allowed: clearing a
user link (Django's SET_NULL when an account is deleted), with every other column unchanged. A DELETE is
always refused. Both databases raise an integrity error (SQLite RAISE(ABORT), PostgreSQL SQLSTATE 23001
restrict_violation), which Django surfaces as `django.db.IntegrityError`.

Privacy erasure (the apps' privacy.py hooks) never changes these rows: an audit event names the actor by a
user link (cleared with the account) and the object by type and id, and the timeline keeps the union's
record of a case (DESIGN: cases are kept on closure).

`manage.py flush` (and the test runner's flush between transactional tests) empties tables with DELETE on
SQLite; PostgreSQL uses TRUNCATE, which row triggers do not see. `allow_flush` wraps SQLite's flush SQL so
the triggers of the flushed tables are dropped and re-created (from their stored SQL) around those DELETEs.

Migrations call `sqlite_create`/`postgres_create` with the column list as it was when they were written.
"""

from __future__ import annotations

PREFIX = "appendonly_"


def message(table: str) -> str:
    return f"{table}: append-only, rows are never changed or deleted"


def sqlite_create(table: str, columns: list[str], links: list[str]) -> list[str]:
    """SQLite: refuse DELETE; refuse UPDATE unless only `links` change, and only to NULL."""
    frozen = [c for c in columns if c not in links]
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in frozen)
    relinked = " OR ".join(f"(NEW.{c} IS NOT OLD.{c} AND NEW.{c} IS NOT NULL)" for c in links)
    condition = " OR ".join(part for part in (changed, relinked) if part)
    return [
        *sqlite_drop(table),
        f"""CREATE TRIGGER {PREFIX}{table}_no_update BEFORE UPDATE ON {table}
FOR EACH ROW WHEN {condition}
BEGIN SELECT RAISE(ABORT, '{message(table)}'); END""",
        f"""CREATE TRIGGER {PREFIX}{table}_no_delete BEFORE DELETE ON {table}
FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{message(table)}'); END""",
    ]


def sqlite_drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {PREFIX}{table}_no_update",
        f"DROP TRIGGER IF EXISTS {PREFIX}{table}_no_delete",
    ]


def postgres_create(table: str, links: list[str]) -> list[str]:
    """PostgreSQL: one row trigger; the row is compared as JSON without the links (new columns included)."""
    without = "".join(f" - '{c}'" for c in links)
    relinked = " OR ".join(f"(NEW.{c} IS DISTINCT FROM OLD.{c} AND NEW.{c} IS NOT NULL)" for c in links)
    relinked = f" OR {relinked}" if relinked else ""
    function = f"{PREFIX}{table}_guard"
    return [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '{message(table)}' USING ERRCODE = 'restrict_violation';
  END IF;
  IF (to_jsonb(NEW){without}) IS DISTINCT FROM (to_jsonb(OLD){without}){relinked} THEN
    RAISE EXCEPTION '{message(table)}' USING ERRCODE = 'restrict_violation';
  END IF;
  RETURN NEW;
END $$""",
        f"DROP TRIGGER IF EXISTS {function} ON {table}",
        f"""CREATE TRIGGER {function} BEFORE UPDATE OR DELETE ON {table}
FOR EACH ROW EXECUTE FUNCTION {function}()""",
    ]


def postgres_drop(table: str) -> list[str]:
    function = f"{PREFIX}{table}_guard"
    return [f"DROP TRIGGER IF EXISTS {function} ON {table}", f"DROP FUNCTION IF EXISTS {function}()"]


def install(schema_editor, table: str, columns: list[str], links: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = sqlite_create(table, columns, links)
    elif vendor == "postgresql":
        statements = postgres_create(table, links)
    else:
        raise NotImplementedError(f"No append-only triggers for the {vendor!r} database backend.")
    for sql in statements:
        schema_editor.execute(sql)


def uninstall(schema_editor, table: str) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": sqlite_drop, "postgresql": postgres_drop}.get(vendor, lambda t: [])(table):
        schema_editor.execute(sql)


def allow_flush(sender, connection, **kwargs) -> None:
    """connection_created receiver: on SQLite, let `flush` empty append-only tables (see module docstring)."""
    if connection.vendor != "sqlite" or getattr(connection.ops, "_appendonly_flush_wrapped", False):
        return
    original = connection.ops.sql_flush

    def sql_flush(style, tables, *args, **kw):
        statements = original(style, tables, *args, **kw)
        if not tables:
            return statements
        marks = ", ".join("%s" for _ in tables)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s "  # noqa: S608
                f"AND tbl_name IN ({marks})",
                [f"{PREFIX}%", *tables],
            )
            installed = cursor.fetchall()
        if not installed:
            return statements
        return [
            *(f"DROP TRIGGER IF EXISTS {name}" for name, _ in installed),
            *statements,
            *(sql for _, sql in installed),
        ]

    connection.ops.sql_flush = sql_flush
    connection.ops._appendonly_flush_wrapped = True

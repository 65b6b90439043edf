"""Set-based writes for `seed_bench`: rows go in by COPY on PostgreSQL and by executemany on SQLite.

Rows are dicts of attnames; every concrete column not given takes the field's default (computed once per
table). Primary keys are assigned here (the next free ids), and each table's sequence is reset afterwards.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import connection, models


class Progress:
    """A one-line progress counter on stderr (tqdm is not a dependency)."""

    def __init__(self, label: str, total: int, out=None):
        self.label, self.total, self.done, self.out = label, max(total, 1), 0, out or sys.stderr
        self._shown = -1

    def update(self, n: int) -> None:
        self.done += n
        percent = self.done * 100 // self.total
        if percent != self._shown:
            self._shown = percent
            bar = "#" * (percent // 4)
            self.out.write(f"\r{self.label:<10} [{bar:<25}] {self.done:>9,}/{self.total:,}")
            self.out.flush()

    def close(self) -> None:
        self.out.write("\n")
        self.out.flush()


def next_id(model: type[models.Model]) -> int:
    latest = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (latest or 0) + 1


class Table:
    """Writes rows of one model. `rows` may be any iterable of dicts (generators keep memory flat)."""

    def __init__(self, model: type[models.Model]):
        self.model = model
        # Columns the database computes itself (GeneratedField: the queue's sort keys) are never written.
        self.fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
        self.columns = [f.column for f in self.fields]
        self.defaults = {}
        for f in self.fields:
            if f.has_default():  # callable ones once per table: every unique one is given in the rows
                value = f.get_default()
            elif f.null:
                value = None
            elif f.empty_strings_allowed:
                value = ""
            else:
                value = None  # must be given (ids, dates, foreign keys)
            self.defaults[f.attname] = value
        self.json = {f.attname for f in self.fields if isinstance(f, models.JSONField)}

    def _values(self, row: dict) -> list:
        values = []
        for f in self.fields:
            value = row.get(f.attname, self.defaults[f.attname])
            if f.attname in self.json:
                value = json.dumps(value)
            values.append(value)
        return values

    def write(self, rows: Iterable[dict], progress: Progress | None = None, batch: int = 5000) -> int:
        if connection.vendor == "postgresql":
            return self._copy(rows, progress)
        return self._insert(rows, progress, batch)

    def _copy(self, rows, progress) -> int:
        count = 0
        table = connection.ops.quote_name(self.model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(self._values(row))
                count += 1
                if progress and count % 1000 == 0:
                    progress.update(1000)
        if progress:
            progress.update(count % 1000)
        return count

    def _insert(self, rows, progress, batch) -> int:
        table = connection.ops.quote_name(self.model._meta.db_table)
        cols = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(self.columns))})"  # noqa: S608
        count, pending = 0, []

        def flush():
            with connection.cursor() as cursor:
                cursor.executemany(sql, pending)
            if progress:
                progress.update(len(pending))
            pending.clear()

        for row in rows:
            values = self._values(row)
            pending.append(
                [
                    v if f.attname in self.json else f.get_db_prep_save(v, connection)
                    for f, v in zip(self.fields, values, strict=True)
                ]
            )
            count += 1
            if len(pending) >= batch:
                flush()
        if pending:
            flush()
        return count


def reset_sequences(*model_list: type[models.Model]) -> None:
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

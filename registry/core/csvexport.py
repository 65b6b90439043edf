"""CSV exports safe against spreadsheet formula injection, streamed row by row."""

import csv
from collections.abc import Iterable, Iterator

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def csv_safe(value) -> str:
    """Text a spreadsheet will not run: a cell starting with = + - @ tab, CR or LF gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


class _Echo:
    def write(self, value):
        return value


def stream_rows(rows: Iterable[Iterable]) -> Iterator[str]:
    """CSV lines for `rows`, every cell made safe (header included)."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow([csv_safe(cell) for cell in row])

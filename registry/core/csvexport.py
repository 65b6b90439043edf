"""The one CSV writer of every export: safe against spreadsheet formula injection whatever the list
separator of the program that opens it, streamed row by row.

- A cell whose first character — after any leading spaces — is = + - @ tab, CR or LF gets a leading `'`
  (spreadsheet programs run such a cell as a formula; some trim spaces first).
- A cell containing a double quote, a comma, a semicolon, a tab, CR or LF is quoted: a spreadsheet whose
  list separator is `;` (most of Europe) or tab would otherwise split `Org;@SUM(1)` into `Org` and a formula.
  (Python's csv module quotes only for its own delimiter and line breaks.) Inside such a cell, a formula
  character right after a separator or line break gets a `'` too (`Org;'@SUM(1)`), for readers that split
  on their separator without honouring quotes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

# A cell starting with one of these is run as a formula by spreadsheet programs.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
# Any of these inside a cell: quote it (every common list separator, line breaks, the quote itself).
QUOTE_IF_PRESENT = frozenset('",;\t\r\n')
# A formula character right after a separator or line break inside a cell: a program that splits the cell
# there (a reader that ignores quotes) would start a new cell with it.
AFTER_SEPARATOR = re.compile(r"([,;\t\r\n] *)(?=[=+\-@])")


def csv_safe(value) -> str:
    """Text a spreadsheet will not run: a cell starting (after spaces) with = + - @ tab, CR or LF gets a
    leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.lstrip(" ").startswith(FORMULA_PREFIXES) else text


def csv_cell(value) -> str:
    """One cell as written to the file: neutralised, then quoted when it holds a separator or line break."""
    text = csv_safe(value)
    if QUOTE_IF_PRESENT.intersection(text):
        text = AFTER_SEPARATOR.sub(r"\1'", text)
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_line(row: Iterable) -> str:
    return ",".join(csv_cell(cell) for cell in row) + "\r\n"


def stream_rows(rows: Iterable[Iterable]) -> Iterator[str]:
    """CSV lines for `rows`, every cell made safe (header included)."""
    for row in rows:
        yield csv_line(row)

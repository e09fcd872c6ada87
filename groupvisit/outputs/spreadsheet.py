"""Rows as CSV a spreadsheet opens safely: text a person typed is shown, never run as a formula."""

import csv
import io
from collections.abc import Iterable, Mapping, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet shows as text: typed text starting like a formula is never run."""
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(columns: Sequence[str], rows: Iterable[Mapping[str, str]]) -> str:
    """A header of `columns`, then every row, each cell made `spreadsheet_safe`."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerows({key: spreadsheet_safe(value) for key, value in row.items()} for row in rows)
    return out.getvalue()

"""The app's one CSV writer: cells a spreadsheet reads safely, in the reader's conventions."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from flask_babel import get_locale

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")


def neutralise(value):
    """Text a spreadsheet would read as a formula gets a leading quote; numbers pass as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def reader_style() -> tuple[str, str]:
    """(delimiter, decimal mark) the reader's spreadsheet expects: a Swedish Excel reads
    `;`-separated columns and decimal commas; English and Welsh ones commas and points."""
    locale = get_locale()
    return (";", ",") if locale is not None and locale.language == "sv" else (",", ".")


def cell(value, decimal: str = "."):
    """One value as written: text neutralised (before a decimal comma turns a negative number
    into text), floats with the reader's decimal mark, whole numbers as they are, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise TypeError("say yes or no in the reader's language, not True or False")
    if isinstance(value, float):
        return repr(value).replace(".", decimal)
    if isinstance(value, int):
        return value
    return neutralise(str(value))


def csv_bytes(rows: Iterable[Sequence], delimiter: str = ",", decimal: str = ".") -> bytes:
    """Every row (the first one being the headings) as UTF-8 CSV with a byte-order mark, so
    Excel reads the letters right. Numbers carry no thousands separator, so they stay numbers."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in rows:
        writer.writerow([cell(value, decimal) for value in row])
    return buffer.getvalue().encode("utf-8-sig")

"""The report as CSV, XLSX and PDF, with every formula-like text cell neutralised."""

from __future__ import annotations

import csv
import io
from pathlib import Path

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"


def neutralise(value):
    """Text a spreadsheet would read as a formula gets a leading quote; numbers pass as they are."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def long_rows(report) -> list[tuple[str, str, object]]:
    """(section, label, value) for every figure; a row of a wide table gives one per column."""
    out: list[tuple[str, str, object]] = []
    for table in report.tables:
        values = table.columns[1:]
        for row in table.rows:
            for column, value in zip(values, row[1:], strict=True):
                label = row[0] if len(values) == 1 else f"{row[0]} — {column}"
                out.append((table.title, str(label), value))
    return out


def to_csv(report, header: tuple[str, str, str], about: list[tuple] = ()) -> bytes:
    """The header row, then `about` rows (the time zone, ...), then one row per figure."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralise(str(h)) for h in header])
    for section, label, value in [*about, *long_rows(report)]:
        writer.writerow([neutralise(section), neutralise(label), neutralise(_plain(value))])
    return buffer.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8


def to_xlsx(report, title: str, subtitle: str = "") -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    bold = book.add_format({"bold": True})
    names: set[str] = set()
    for table in report.tables:
        sheet = book.add_worksheet(_sheet_name(table.title, names))
        sheet.write_string(0, 0, neutralise(title), bold)
        if subtitle:
            sheet.write_string(1, 0, neutralise(subtitle))
        for c, heading in enumerate(table.columns):
            sheet.write_string(2, c, neutralise(str(heading)), bold)
        for r, row in enumerate(table.rows, start=3):
            for c, value in enumerate(row):
                if isinstance(value, int | float) and not isinstance(value, bool):
                    sheet.write_number(r, c, value)
                else:
                    sheet.write_string(r, c, neutralise(str(value)))
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, len(table.columns), 16)
    book.close()
    return buffer.getvalue()


def to_pdf(report, title: str, subtitle: str, compress: bool = True) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_compression(compress)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 16)
    pdf.multi_cell(0, 8, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 6, subtitle, new_x="LMARGIN", new_y="NEXT")
    for table in report.tables:
        pdf.ln(4)
        pdf.set_font("DejaVu", "B", 12)
        pdf.multi_cell(0, 7, table.title, new_x="LMARGIN", new_y="NEXT")
        size = 9 if len(table.columns) <= 4 else 6.5
        pdf.set_font("DejaVu", "", size)
        first = 3 if len(table.columns) <= 4 else 2
        widths = (first,) + (1,) * (len(table.columns) - 1)
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=size * 0.6) as grid:
            heading = grid.row()
            for column in table.columns:
                heading.cell(str(column))
            for values in table.rows:
                cells = grid.row()
                for value in values:
                    cells.cell(str(_plain(value)))
    return bytes(pdf.output())


def _plain(value):
    return value if isinstance(value, int | float) else str(value)


def _sheet_name(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    name = "".join(" " if c in "[]:*?/\\" else c for c in str(title)).strip("' ")[:31] or "Sheet"
    base, n = name, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name

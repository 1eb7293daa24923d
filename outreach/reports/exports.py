"""The report as CSV, XLSX and PDF, with every formula-like text cell neutralised."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from outreach.spreadsheet import csv_bytes, neutralise

FONTS = Path(__file__).resolve().parents[2] / "static" / "fonts"


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


def to_csv(
    report,
    header: tuple[str, str, str],
    about: list[tuple] = (),
    delimiter: str = ",",
    decimal: str = ".",
) -> bytes:
    """The header row, then `about` rows (the time zone, ...), then one row per figure, through
    the app's CSV writer (`delimiter` and `decimal`: the reader's, spreadsheet.reader_style)."""
    rows = [tuple(str(h) for h in header), *about, *long_rows(report)]
    return csv_bytes(rows, delimiter=delimiter, decimal=decimal)


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


def to_pdf(
    report,
    title: str,
    subtitle: str,
    compress: bool = True,
    fmt: Callable[[object], str] = str,
    lang: str = "en",
) -> bytes:
    """An A4 document in the reader's language (`lang`, `fmt` for numbers): tagged, with its
    language, title and one outline entry per section, and table columns at least as wide as
    their longest word (long Welsh and Swedish headings are never cut mid-word)."""
    from fpdf import FPDF, TextStyle, ViewerPreferences

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_compression(compress)
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_lang(lang)
    pdf.set_creator("Outreach")
    pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
    pdf.set_section_title_styles(
        TextStyle(font_family="DejaVu", font_style="B", font_size_pt=16, b_margin=2),
        TextStyle(font_family="DejaVu", font_style="B", font_size_pt=12, t_margin=4, b_margin=1),
    )
    pdf.add_page()
    pdf.set_font("DejaVu", "", 10)
    pdf.start_section(title, level=0)
    pdf.set_font("DejaVu", "", 10)
    pdf.multi_cell(0, 6, subtitle, new_x="LMARGIN", new_y="NEXT")
    for table in report.tables:
        pdf.start_section(table.title, level=1)
        rows = [[str(c) for c in table.columns]]
        rows += [[fmt(v) if isinstance(v, int | float) else str(v) for v in r] for r in table.rows]
        size, widths = _fit_columns(pdf, rows, 9 if len(table.columns) <= 4 else 7.5)
        pdf.set_font("DejaVu", "", size)
        with pdf.table(col_widths=widths, text_align="LEFT", line_height=size * 0.6) as grid:
            for values in rows:
                cells = grid.row()
                for value in values:
                    cells.cell(value)
    return bytes(pdf.output())


def _fit_columns(pdf, rows: list[list[str]], size: float) -> tuple[float, list[float]]:
    """A font size and column widths (mm) with every column as wide as its longest word (and
    its longest value, when the page allows): the font shrinks until they fit the page."""
    padding = 2.5
    while True:
        pdf.set_font("DejaVu", "B", size)
        words = [
            max(pdf.get_string_width(w) for r in rows for w in (r[i].split() or [""])) + padding
            for i in range(len(rows[0]))
        ]
        whole = [
            max(pdf.get_string_width(r[i]) for r in rows) + padding for i in range(len(rows[0]))
        ]
        if sum(words) <= pdf.epw or size <= 5:
            break
        size -= 0.5
    spare = pdf.epw - sum(words)
    wish = [max(w - m, 0.0) for w, m in zip(whole, words, strict=True)]
    share = min(1.0, spare / sum(wish)) if sum(wish) else 0.0
    widths = [m + share * w for m, w in zip(words, wish, strict=True)]
    leftover = pdf.epw - sum(widths)
    widths[0] += max(leftover, 0.0)  # the label column takes what is left
    return size, widths


def _sheet_name(title: str, taken: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook; a long
    title is cut at the end of a word, not in the middle of one."""
    name = _words_within("".join(" " if c in "[]:*?/\\" else c for c in str(title)), 31)
    base, n = name or "Sheet", 2
    name = base
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = _words_within(base, 31 - len(suffix)) + suffix, n + 1
    taken.add(name.lower())
    return name


def _words_within(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary (mid-word only when its
    first word alone is longer)."""
    text = " ".join(text.strip("' ").split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip(" ,;:-—")
    return cut if 0 < len(cut) <= limit else text[:limit]

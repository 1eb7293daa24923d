"""Plain modules tested without an app: formula neutralisation and the SVG charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from outreach.reports.charts import bar_chart, line_chart
from outreach.spreadsheet import neutralise

SVG = "{http://www.w3.org/2000/svg}"


@pytest.mark.parametrize(
    "text", ["=1+1", "+SUM(1)", "-2+3", "@cmd", "\tcell", "\rcell", "\0cell", '=HYPERLINK("x")']
)
def test_neutralise_prefixes_a_quote_to_every_formula_start(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Nyxoid", "<5", "2026-10", "", 12, -3, 1.5])
def test_neutralise_leaves_plain_text_and_numbers_alone(value):
    assert neutralise(value) == value


def test_bar_chart_is_an_accessible_svg_with_one_bar_per_value_and_escaped_labels():
    svg = bar_chart("Kits <by> product", "A: 3; B: 6", [("A & B", 3), ("B", 6), ("C", "<5")])
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    assert root.find(f"{SVG}title").text == "Kits <by> product"
    assert root.find(f"{SVG}desc").text == "A: 3; B: 6"
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert widths[1] == 2 * widths[0] and widths[2] == 0  # suppressed draws no bar
    assert "A & B" in [t.text for t in root.iter(f"{SVG}text")]


def test_line_chart_draws_one_polyline_of_twelve_points_per_series():
    labels = [f"2026-{m:02d}" for m in range(1, 13)]
    svg = line_chart("Trend", "desc", labels, [("Kits", list(range(12))), ("Overdoses", [1] * 12)])
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    lines = list(root.iter(f"{SVG}polyline"))
    assert len(lines) == 2 and all(len(p.get("points").split()) == 12 for p in lines)


def test_long_bar_labels_wrap_above_their_bars_and_are_never_cut():
    long = "Prenoxad 2 mg/2 ml pre-filled syringe (intramuscular), rhodd gan weithiwr cymheiriaid"
    svg = bar_chart("Kits", "d", [(long, 12), ("Nyxoid", 1_234)], fmt=lambda v: f"[{v}]")
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    texts = [t for t in root.iter(f"{SVG}text")]
    assert all(float(t.get("x")) >= 0 for t in texts)
    shown = " ".join(t.text or "" for t in texts)
    assert all(word in shown for word in long.split())  # every word, none cut
    assert "[1234]" in shown  # values go through the reader's number format
    lines = [t.text for t in texts if t.text and t.text.startswith(("Prenoxad", "rhodd", "(intra"))]
    assert all(len(line) <= 70 for line in lines)


def test_the_line_chart_legend_gives_each_series_its_own_line():
    names = ["Gorddosau a adroddwyd", "Cysylltiadau allgymorth", "Cyflenwadau cyntaf"]
    svg = line_chart("T", "d", ["2026-01", "2026-02"], [(n, [1, 2]) for n in names])
    root = ET.fromstring(svg)  # noqa: S314 (our own output)
    legend = [t for t in root.iter(f"{SVG}text") if t.text in names]
    assert len({float(t.get("y")) for t in legend}) == len(names)
    height = float(root.get("viewBox").split()[3])
    assert all(float(t.get("y")) <= height for t in legend)


def test_sheet_names_are_cut_at_a_word_boundary_and_stay_unique():
    from outreach.reports.exports import _sheet_name

    taken: set[str] = set()
    first = _sheet_name("Defnydd misol cyfartalog a misoedd o stoc ar ôl", taken)
    assert first == "Defnydd misol cyfartalog a"
    second = _sheet_name("Defnydd misol cyfartalog a misoedd eraill", taken)
    assert second.endswith("(2)") and len(second) <= 31 and second != first
    assert _sheet_name("Förbrukning/månad [snitt]", set()) == "Förbrukning månad snitt"


def test_pdf_columns_are_as_wide_as_their_longest_word():
    from fpdf import FPDF

    from outreach.reports.exports import FONTS, _fit_columns

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.add_page()
    heads = ["Cynnyrch", "Balans agoriadol", "Derbyniwyd", "Trosglwyddwyd i mewn"]
    heads += ["Trosglwyddwyd allan", "Dosbarthwyd", "Dilëwyd neu galwyd yn ôl", "Balans cloi"]
    rows = [heads, ["Naloxone 0.4 mg/ml ampoule kit", "13", "0", "0", "0", "1", "0", "12"]]
    size, widths = _fit_columns(pdf, rows, 7.5)
    pdf.set_font("DejaVu", "B", size)
    for i, width in enumerate(widths):
        longest = max(pdf.get_string_width(w) for r in rows for w in r[i].split())
        assert width >= longest
    assert sum(widths) == pytest.approx(pdf.epw)

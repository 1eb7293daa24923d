"""Plain modules tested without an app: formula neutralisation and the SVG charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from outreach.reports.charts import bar_chart, line_chart
from outreach.reports.exports import neutralise

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

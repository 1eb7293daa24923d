"""Colour scales, class breaks, circle sizes and the legend (rows, HTML and the in-map control)
of the map's cell and area layers."""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence

from branca.element import MacroElement
from jinja2 import Template

from outreach.maps.escaping import escape_text

# Five classes per layer, light to dark; one hue per layer so overlapping layers stay apart.
PALETTES = {
    "handouts": ("#d9f0d3", "#a6dba0", "#5aae61", "#1b7837", "#00441b"),
    "contacts": ("#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b"),
    "overdoses": ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"),
}
# Areas with an estimate of people at risk are coloured by kits per 1,000 of them: another
# hue, so a rate is never read on the scale of a count.
RATE = "handouts_rate"
RATE_PALETTE = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
# An area's circle, in screen pixels: its area proportional to its count, the largest
# MAX_RADIUS, none under MIN_RADIUS so each can be seen and tapped.
MIN_RADIUS, MAX_RADIUS = 6, 28


def class_breaks(counts: Iterable[int], k: int = 5) -> list[int]:
    """Lower bounds of `k` colour classes: quantiles of the counts, rounded to nice numbers."""
    values = sorted(c for c in counts if c > 0)
    if not values:
        return [1]
    bounds = [1]
    for i in range(1, k):
        q = values[min(len(values) - 1, int(len(values) * i / k))]
        nice = _nice(q)
        if nice > bounds[-1]:
            bounds.append(nice)
    return bounds


def _nice(value: int) -> int:
    if value < 10:
        return value
    power = 10 ** int(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return int(step * power)
    return value


def class_colour(layer: str, breaks: Sequence[int], count: int) -> str:
    """The fill colour of a cell of `layer` with `count` events, given the layer's breaks."""
    return PALETTES[layer][max(0, bisect_right(breaks, count) - 1)]


def rate_breaks(rates: Iterable[float], k: int = 5) -> list[float]:
    """Lower bounds of up to `k` classes of rates: 0, then quantiles to two significant
    figures."""
    values = sorted(r for r in rates if r > 0)
    bounds = [0.0]
    for i in range(1, k if values else 1):
        nice = float(f"{values[min(len(values) - 1, int(len(values) * i / k))]:.2g}")
        if nice > bounds[-1]:
            bounds.append(nice)
    return bounds


def rate_colour(breaks: Sequence[float], rate: float) -> str:
    return RATE_PALETTE[max(0, bisect_right(breaks, rate) - 1)]


def rate_legend_rows(breaks: Sequence[float], fmt: Callable[[float], str]) -> list:
    """(colour, range text) for each class of rates, e.g. ("#cbc9e2", "1.5–4"): a class runs
    from its bound up to the next."""
    rows = []
    for i, lo in enumerate(breaks):
        hi = breaks[i + 1] if i + 1 < len(breaks) else None
        rows.append((RATE_PALETTE[i], f"{fmt(lo)}+" if hi is None else f"{fmt(lo)}–{fmt(hi)}"))
    return rows


def circle_radius(count: int, largest: int) -> float:
    """The radius of an area's circle in pixels: its area proportional to `count`."""
    if largest <= 0:
        return MIN_RADIUS
    return round(max(MIN_RADIUS, MAX_RADIUS * math.sqrt(count / largest)), 1)


def legend_rows(layer: str, breaks: Sequence[int]) -> list[tuple[str, str]]:
    """(colour, range text) for each class of `layer`, e.g. ("#a6dba0", "5–9")."""
    palette = PALETTES[layer]
    rows = []
    for i, lo in enumerate(breaks):
        hi = breaks[i + 1] - 1 if i + 1 < len(breaks) else None
        text = f"{lo}+" if hi is None else (f"{lo}" if hi == lo else f"{lo}–{hi}")
        rows.append((palette[i], text))
    return rows


def legend_html(legends: Mapping[str, list[tuple[str, str]]], text, note: str = "") -> str:
    parts = [f"<strong>{escape_text(text['legend'])}</strong>"]
    for layer, rows in legends.items():
        swatches = "".join(
            f'<span><i style="background:{c}"></i>{escape_text(r)}</span>' for c, r in rows
        )
        parts.append(f"<div>{escape_text(text[layer])}: {swatches}</div>")
    if note:
        parts.append(f"<div>{escape_text(note)}</div>")
    return "".join(parts)


class LegendControl(MacroElement):
    """A legend box inside the map (the page repeats it as HTML outside the map)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "map-legend");
            div.innerHTML = {{ this.html|tojson }};
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}"""
    )

    def __init__(self, html_text: str):
        super().__init__()
        self._name = "Legend"
        self.html = html_text

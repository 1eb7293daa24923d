"""Inline SVG bar and line charts drawn on the server (no JavaScript, no Flask)."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from html import escape
from itertools import count

_ids = count(1)
COLOURS = ("#1f5f8b", "#b5472b", "#2e7d32", "#6a3d9a", "#8a6d00")
# Characters of 13 px text that fit across a 640-wide chart, with room to spare (DejaVu Sans
# averages about 7.5 px a character): a longer label wraps onto a second line.
LINE_CHARS = 70


def _number(value) -> float:
    """The length a value is drawn at: suppressed or missing values ("<5", "—") draw nothing."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def bar_chart(
    title: str,
    desc: str,
    items: list[tuple[str, object]],
    width: int = 640,
    fmt: Callable[[object], str] = str,
) -> str:
    """Horizontal bars, one per (label, value): the label above its bar across the whole width
    (wrapped, never cut, in any language), the value (`fmt`) at the end of the bar."""
    uid = next(_ids)
    left, line, bar, gap = 4, 16, 18, 10
    top = max([_number(v) for _label, v in items] + [1.0])
    plot = width - left - 90
    parts, y = [], gap
    for label, value in items:
        for text in textwrap.wrap(str(label), LINE_CHARS) or [""]:
            y += line
            parts.append(f'<text x="{left}" y="{y - 3}" font-size="13">{escape(text)}</text>')
        length = plot * _number(value) / top
        parts.append(
            f'<rect x="{left}" y="{y + 2}" width="{length:.1f}" height="{bar}" '
            f'fill="{COLOURS[0]}"></rect>'
            f'<text x="{left + length + 6:.1f}" y="{y + 16}" font-size="13">'
            f"{escape(fmt(value))}</text>"
        )
        y += bar + gap
    head = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {max(y, 1)}" width="100%" '
        f'aria-labelledby="ct{uid} cd{uid}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="ct{uid}">{escape(title)}</title>',
        f'<desc id="cd{uid}">{escape(desc)}</desc>',
    ]
    return "".join([*head, *parts, "</svg>"])


def line_chart(
    title: str,
    desc: str,
    labels: list[str],
    series: list[tuple[str, list]],
    width: int = 640,
    height: int = 260,
    fmt: Callable[[object], str] = str,
) -> str:
    """One polyline per (name, values) across `labels`, with a legend (one series a line, so
    long names never run into each other) and axis labels."""
    uid = next(_ids)
    left, right, top_pad, axis = 50, 20, 20, 40
    legend = 18 * len(series)
    height += legend
    plot_w, plot_h = width - left - right, height - top_pad - axis - legend
    top = max([_number(v) for _name, values in series for v in values] + [1.0])
    step = plot_w / max(1, len(labels) - 1)

    def xy(i: int, value) -> str:
        y = top_pad + plot_h - plot_h * _number(value) / top
        return f"{left + i * step:.1f},{y:.1f}"

    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="ct{uid} cd{uid}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="ct{uid}">{escape(title)}</title>',
        f'<desc id="cd{uid}">{escape(desc)}</desc>',
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{width - right}" '
        f'y2="{top_pad + plot_h}" stroke="#555"></line>',
        f'<text x="{left - 6}" y="{top_pad + 5}" text-anchor="end" font-size="12">'
        f"{escape(fmt(_fmt(top)))}</text>",
        f'<text x="{left - 6}" y="{top_pad + plot_h}" text-anchor="end" font-size="12">0</text>',
    ]
    for i, label in enumerate(labels):
        parts.append(
            f'<text x="{left + i * step:.1f}" y="{top_pad + plot_h + 16}" text-anchor="middle" '
            f'font-size="11">{escape(str(label))}</text>'
        )
    for n, (name, values) in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        points = " ".join(xy(i, v) for i, v in enumerate(values))
        parts.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}">'
            f"<title>{escape(name)}</title></polyline>"
        )
        lx = left
        ly = top_pad + plot_h + axis + 18 * n + 4
        parts.append(
            f'<rect x="{lx:.1f}" y="{ly - 10}" width="12" height="12" fill="{colour}"></rect>'
            f'<text x="{lx + 16:.1f}" y="{ly}" font-size="12">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _fmt(value: float) -> float | int:
    return int(value) if value == int(value) else round(value, 1)

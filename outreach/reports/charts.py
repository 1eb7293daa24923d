"""Inline SVG bar and line charts drawn on the server (no JavaScript, no Flask)."""

from __future__ import annotations

from html import escape
from itertools import count

_ids = count(1)
COLOURS = ("#1f5f8b", "#b5472b", "#2e7d32", "#6a3d9a", "#8a6d00")


def _number(value) -> float:
    """The length a value is drawn at: suppressed or missing values ("<5", "—") draw nothing."""
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def bar_chart(title: str, desc: str, items: list[tuple[str, object]], width: int = 640) -> str:
    """Horizontal bars, one per (label, value), each value written at the end of its bar."""
    uid = next(_ids)
    row, label_w, gap = 30, 230, 8
    height = max(1, len(items)) * row + gap
    top = max([_number(v) for _label, v in items] + [1.0])
    plot = width - label_w - 70
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="100%" '
        f'aria-labelledby="ct{uid} cd{uid}" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="ct{uid}">{escape(title)}</title>',
        f'<desc id="cd{uid}">{escape(desc)}</desc>',
    ]
    for i, (label, value) in enumerate(items):
        y = i * row + gap
        length = plot * _number(value) / top
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="13">'
            f"{escape(str(label))}</text>"
            f'<rect x="{label_w}" y="{y}" width="{length:.1f}" height="{row - 10}" '
            f'fill="{COLOURS[0]}"></rect>'
            f'<text x="{label_w + length + 6:.1f}" y="{y + 15}" font-size="13">'
            f"{escape(str(value))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    title: str,
    desc: str,
    labels: list[str],
    series: list[tuple[str, list]],
    width: int = 640,
    height: int = 260,
) -> str:
    """One polyline per (name, values) across `labels`, with a legend and axis labels."""
    uid = next(_ids)
    left, right, top_pad, bottom = 50, 20, 20, 60
    plot_w, plot_h = width - left - right, height - top_pad - bottom
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
        f"{escape(_fmt(top))}</text>",
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
        lx = left + n * (plot_w / max(1, len(series)))
        ly = height - 14
        parts.append(
            f'<rect x="{lx:.1f}" y="{ly - 10}" width="12" height="12" fill="{colour}"></rect>'
            f'<text x="{lx + 16:.1f}" y="{ly}" font-size="12">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.1f}"

"""HTML escaping for everything the map draws: Leaflet sets pop-ups and the legend as innerHTML."""

from __future__ import annotations

import html


def escape_text(value: str) -> str:
    """`value` made safe inside HTML content or a double-quoted attribute."""
    return html.escape(value)


def escape_properties(features: list[dict]) -> list[dict]:
    """Features whose string properties are HTML-escaped: Folium's pop-up sets innerHTML."""
    return [
        {
            **f,
            "properties": {
                k: html.escape(v) if isinstance(v, str) else v
                for k, v in f.get("properties", {}).items()
            },
        }
        for f in features
    ]

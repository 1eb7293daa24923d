"""Build the map page's Folium map from server-side aggregates (no Flask, so it tests alone)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import folium
from branca.element import CssLink, JavascriptLink

from outreach.maps.escaping import escape_text
from outreach.maps.overlays import (
    HotSpotMark,
    SiteView,
    add_area_layer,
    add_cell_layer,
    add_gaps,
    add_gi,
    add_hot_spots,
    add_points,
    add_sites,
    cell_id,
    circle_polygon,
)
from outreach.maps.style import (
    PALETTES,
    LegendControl,
    class_breaks,
    legend_html,
    legend_rows,
)

# Names other modules import from here; they live in overlays.py and style.py.
__all__ = [
    "CELL_LAYERS",
    "DEFAULT_TEXT",
    "MAX_ZOOM",
    "OSM_ATTRIBUTION",
    "PALETTES",
    "HotSpotMark",
    "MapData",
    "MapParts",
    "SiteView",
    "add_area_layer",
    "add_cell_layer",
    "add_gaps",
    "add_gi",
    "add_hot_spots",
    "add_points",
    "add_sites",
    "build_map",
    "cell_id",
    "circle_polygon",
    "class_breaks",
    "legend_html",
    "legend_rows",
    "page_parts",
]

MAX_ZOOM = 18
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
CELL_LAYERS = ("handouts", "contacts", "overdoses")
# A <script> element without a src: the page's CSP runs only the one the template gives a nonce.
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)", re.IGNORECASE)
DEFAULT_TEXT = {
    "handouts": "Handouts",
    "contacts": "Outreach contacts",
    "overdoses": "Overdose reports",
    "points": "Your organisation's records",
    "hot_spots": "Named hot spots",
    "sites": "Sites",
    "gi": "Computed hot spots",
    "gaps": "Coverage gaps",
    "count": "Count",
    "dates": "Dates",
    "own": "Of which your organisation",
    "name": "Name",
    "category": "Category",
    "activity": "Activity in these dates",
    "notes": "Notes",
    "z": "Gi* z-score",
    "p": "p-value",
    "kits_nearby": "Kits handed out within 2 km",
    "legend": "Legend",
    "date": "Date",
    "kind": "Record",
    "area": "Area",
    "handouts_rate": "Kits per 1,000 people at risk",
    "circles": "A circle's area is proportional to its count.",
}


@dataclass
class MapData:
    bounds: tuple[float, float, float, float]  # south, west, north, east
    period: str  # the dates shown in pop-ups, e.g. "2025-01-01 – 2025-03-31"
    cells: dict[str, list] = field(default_factory=dict)  # layer -> cells (aggregates)
    areas: dict[str, list] = field(default_factory=dict)  # layer -> maps.by_area.AreaFigure
    points: dict[str, list] = field(default_factory=dict)  # layer -> own-org points
    hot_spots: list[HotSpotMark] = field(default_factory=list)
    sites: list[SiteView] = field(default_factory=list)
    gi: list[tuple] = field(default_factory=list)  # (cell, z, p)
    gaps: list = field(default_factory=list)


@dataclass(frozen=True)
class MapParts:
    """What a Jinja page needs: links for <head>, the map's <div>, its <script>."""

    header: str
    html: str
    script: str
    map_name: str


def build_map(
    data: MapData,
    *,
    tiles_url: str | None,
    attribution: str = OSM_ATTRIBUTION,
    text: Mapping[str, str] | None = None,
    shown: Sequence[str] = CELL_LAYERS[:1],
    max_zoom: int = MAX_ZOOM,
) -> tuple[folium.Map, dict[str, list[tuple[str, str]]]]:
    """The map, and its legend rows per cell or area layer (colour, range)."""
    text = {**DEFAULT_TEXT, **(text or {})}
    south, west, north, east = data.bounds
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=6,
        tiles=None,
        # With tiles=None folium gives max_zoom to no one: set Leaflet's own option.
        maxZoom=max_zoom,
        minZoom=3,
        control_scale=True,
        width="100%",
        height="100%",
    )
    if tiles_url:
        folium.TileLayer(
            tiles=tiles_url, attr=attribution or " ", max_zoom=max_zoom, control=False, name="tiles"
        ).add_to(m)
    legends = {}
    for layer in CELL_LAYERS:
        if layer in data.cells:
            breaks = add_cell_layer(m, layer, data.cells[layer], data, text, layer in shown)
            legends[layer] = legend_rows(layer, breaks)
    for layer, figures in data.areas.items():
        legends.update(add_area_layer(m, layer, figures, data, text, layer in shown))
    for layer, points in data.points.items():
        if points:
            add_points(m, layer, points, text)
    if data.gaps:
        add_gaps(m, data.gaps, data, text)
    if data.gi:
        add_gi(m, data.gi, text)
    if data.hot_spots:
        add_hot_spots(m, data.hot_spots, text)
    if data.sites:
        add_sites(m, data.sites, text)
    if legends:
        note = text["circles"] if data.areas else ""
        m.add_child(LegendControl(legend_html(legends, text, note)))
    folium.LayerControl(collapsed=False).add_to(m)
    m.fit_bounds([[south, west], [north, east]])
    return m, legends


def page_parts(m: folium.Map, label: str = "") -> MapParts:
    """Render the map's parts for a Jinja page: only asset links go into <head>.

    Folium's own header also sets `html, body {height: 100%}`, a zoom-locking viewport and
    absolute positioning, which would break the app's page, so those are left out. All the
    map's code is in `script`, which the page runs under its CSP nonce: an element drawing an
    inline <script> of its own into the map's <div> would be blocked, so it is refused here.
    """
    root = m.get_root()
    root.render()
    links = [
        child.render()
        for child in root.header._children.values()
        if isinstance(child, JavascriptLink | CssLink)
    ]
    div = root.html.render()
    if label:  # the map itself is named for screen readers; the tables below repeat its numbers
        div = div.replace(
            '<div class="folium-map"',
            f'<div class="folium-map" role="region" aria-label="{escape_text(label)}"',
            1,
        )
    if INLINE_SCRIPT.search(div):
        raise ValueError("an inline <script> in the map's <div> would be blocked by the CSP")
    return MapParts(
        header="\n".join(links),
        html=div,
        script=root.script.render(),
        map_name=m.get_name(),
    )

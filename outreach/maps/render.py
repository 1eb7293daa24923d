"""Build the map page's Folium map from server-side aggregates (no Flask, so it tests alone)."""

from __future__ import annotations

import html
import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import folium
from branca.element import CssLink, JavascriptLink, MacroElement
from jinja2 import Template

MAX_ZOOM = 18
OSM_ATTRIBUTION = '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
CELL_LAYERS = ("handouts", "contacts", "overdoses")
# Five classes per layer, light to dark; one hue per layer so overlapping layers stay apart.
PALETTES = {
    "handouts": ("#d9f0d3", "#a6dba0", "#5aae61", "#1b7837", "#00441b"),
    "contacts": ("#deebf7", "#9ecae1", "#4292c6", "#2171b5", "#08306b"),
    "overdoses": ("#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"),
}
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
}


@dataclass(frozen=True)
class HotSpotMark:
    """A named hot spot as drawn: labels already translated, notes only for its own org."""

    name: str
    category: str
    latitude: float
    longitude: float
    radius_m: int
    activity: str = ""
    notes: str | None = None


@dataclass(frozen=True)
class SiteView:
    name: str
    latitude: float
    longitude: float


@dataclass
class MapData:
    bounds: tuple[float, float, float, float]  # south, west, north, east
    period: str  # the dates shown in pop-ups, e.g. "2025-01-01 – 2025-03-31"
    cells: dict[str, list] = field(default_factory=dict)  # layer -> cells (aggregates)
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


def legend_rows(layer: str, breaks: Sequence[int]) -> list[tuple[str, str]]:
    """(colour, range text) for each class of `layer`, e.g. ("#a6dba0", "5–9")."""
    palette = PALETTES[layer]
    rows = []
    for i, lo in enumerate(breaks):
        hi = breaks[i + 1] - 1 if i + 1 < len(breaks) else None
        text = f"{lo}+" if hi is None else (f"{lo}" if hi == lo else f"{lo}–{hi}")
        rows.append((palette[i], text))
    return rows


def _colour(layer: str, breaks: Sequence[int], count: int) -> str:
    return PALETTES[layer][max(0, bisect_right(breaks, count) - 1)]


def _ring(polygon: Sequence[tuple[float, float]]) -> list[list[float]]:
    ring = [[round(lon, 5), round(lat, 5)] for lon, lat in polygon]
    if ring and ring[0] != ring[-1]:
        ring.append(ring[0])
    return ring


def cell_id(prefix: str, key: Any) -> str:
    """A short feature id: "h12_-340" for handouts cell (12, -340)."""
    parts = key if isinstance(key, tuple | list) else (key,)
    return prefix[0] + "_".join(str(k) for k in parts)


def _polygon_feature(fid: str, polygon, props: dict) -> dict:
    return {
        "type": "Feature",
        "id": fid,
        "geometry": {"type": "Polygon", "coordinates": [_ring(polygon)]},
        "properties": props,
    }


def circle_polygon(lat: float, lon: float, radius_m: float, sides: int = 32) -> list:
    """A circle of `radius_m` metres as a (lon, lat) ring, good enough at city scale."""
    dlat = radius_m / 111_320
    dlon = radius_m / (111_320 * max(0.01, math.cos(math.radians(lat))))
    return [
        (
            lon + dlon * math.cos(2 * math.pi * i / sides),
            lat + dlat * math.sin(2 * math.pi * i / sides),
        )
        for i in range(sides)
    ]


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def _escaped(features: list[dict]) -> list[dict]:
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


def _layer(m, features: list[dict], name: str, fields, aliases, **kw) -> folium.GeoJson:
    """One GeoJson element for a whole layer; the pop-up lists `fields` (none when empty).

    Every string property and label is HTML-escaped here, for every layer: the pop-up builds
    its table as HTML from them, and names and notes are typed by users of other organisations.
    """
    features = _escaped(features)
    aliases = [html.escape(str(a)) for a in aliases]
    popup = folium.GeoJsonPopup(fields=fields, aliases=aliases) if features else None
    layer = folium.GeoJson(_collection(features), name=name, popup=popup, **kw)
    layer.add_to(m)
    return layer


def add_cell_layer(m, layer: str, cells: Sequence, data: MapData, text, show: bool) -> list[int]:
    """All cells of one layer as ONE GeoJson (one Folium element per cell is too slow)."""
    drawn = [c for c in cells if c.count > 0]
    breaks = class_breaks(c.count for c in drawn)
    features = [
        _polygon_feature(cell_id(layer, c.key), c.polygon, {"n": c.count, "own": int(c.own)})
        for c in drawn
    ]
    colours = {cell_id(layer, c.key): _colour(layer, breaks, c.count) for c in drawn}

    def style(feature: dict) -> dict:
        fill = colours.get(feature["id"], PALETTES[layer][0])
        return {"fillColor": fill, "color": fill, "weight": 1, "fillOpacity": 0.6}

    _layer(
        m,
        features,
        text[layer],
        *(["n", "own"], [f"{text[layer]} ({data.period})", text["own"]]),
        show=show,
        style_function=style,
    )
    return breaks


def add_points(m, layer: str, points: Sequence, text) -> None:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(p.lon, 5), round(p.lat, 5)]},
            "properties": {"kind": text[layer], "date": _day(p)},
        }
        for p in points
    ]
    _layer(
        m,
        features,
        f"{text['points']}: {text[layer]}",
        *(["kind", "date"], [text["kind"], text["date"]]),
        show=False,
        marker=folium.CircleMarker(
            radius=6, color="#222", weight=1, fill_color=PALETTES[layer][3], fill_opacity=0.9
        ),
    )


def _day(point: Any) -> str:
    when = getattr(point, "occurred_at", None) or getattr(point, "day", None)
    return when.date().isoformat() if hasattr(when, "date") else str(when or "")


def add_hot_spots(m, spots: Sequence[HotSpotMark], text) -> None:
    features = []
    for i, s in enumerate(spots):
        props = {"name": s.name, "category": s.category, "activity": s.activity}
        props["notes"] = s.notes or ""
        ring = circle_polygon(s.latitude, s.longitude, s.radius_m)
        features.append(_polygon_feature(f"h{i}", ring, props))
    _layer(
        m,
        features,
        text["hot_spots"],
        *(
            ["name", "category", "activity", "notes"],
            [text["name"], text["category"], text["activity"], text["notes"]],
        ),
        style_function=lambda _f: {
            "color": "#6a1b9a",
            "weight": 3,
            "fillColor": "#ce93d8",
            "fillOpacity": 0.25,
        },
    )


def add_sites(m, sites: Sequence[SiteView], text) -> None:
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [s.longitude, s.latitude]},
            "properties": {"name": s.name},
        }
        for s in sites
    ]
    _layer(
        m,
        features,
        text["sites"],
        *(["name"], [text["name"]]),
        marker=folium.CircleMarker(
            radius=7, color="#0b5d4b", weight=3, fill_color="#fff", fill_opacity=1
        ),
    )


def add_gi(m, gi: Sequence[tuple], text) -> None:
    features = [
        _polygon_feature(cell_id("g", cell.key), cell.polygon, {"z": round(z, 2), "p": round(p, 4)})
        for cell, z, p in gi
    ]
    _layer(
        m,
        features,
        text["gi"],
        *(["z", "p"], [text["z"], text["p"]]),
        style_function=lambda _f: {"color": "#000", "weight": 3, "fill": False},
    )


def add_gaps(m, gaps: Sequence, data: MapData, text) -> None:
    features = [
        _polygon_feature(
            cell_id("c", gap.cell.key),
            gap.cell.polygon,
            {"od": gap.overdoses, "ct": gap.contacts, "kits": gap.kits_nearby},
        )
        for gap in gaps
    ]
    _layer(
        m,
        features,
        text["gaps"],
        *(
            ["od", "ct", "kits"],
            [
                f"{text['overdoses']} ({data.period})",
                f"{text['contacts']} ({data.period})",
                text["kits_nearby"],
            ],
        ),
        style_function=lambda _f: {
            "color": "#e65100",
            "weight": 2,
            "dashArray": "6 4",
            "fillColor": "#ffcc80",
            "fillOpacity": 0.15,
        },
    )


class _Legend(MacroElement):
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


def legend_html(legends: Mapping[str, list[tuple[str, str]]], text) -> str:
    parts = [f"<strong>{html.escape(text['legend'])}</strong>"]
    for layer, rows in legends.items():
        swatches = "".join(
            f'<span><i style="background:{c}"></i>{html.escape(r)}</span>' for c, r in rows
        )
        parts.append(f"<div>{html.escape(text[layer])}: {swatches}</div>")
    return "".join(parts)


def build_map(
    data: MapData,
    *,
    tiles_url: str | None,
    attribution: str = OSM_ATTRIBUTION,
    text: Mapping[str, str] | None = None,
    shown: Sequence[str] = CELL_LAYERS[:1],
    max_zoom: int = MAX_ZOOM,
) -> tuple[folium.Map, dict[str, list[tuple[str, str]]]]:
    """The map, and its legend rows per cell layer (colour, range)."""
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
        m.add_child(_Legend(legend_html(legends, text)))
    folium.LayerControl(collapsed=False).add_to(m)
    m.fit_bounds([[south, west], [north, east]])
    return m, legends


def page_parts(m: folium.Map, label: str = "") -> MapParts:
    """Render the map's parts for a Jinja page: only asset links go into <head>.

    Folium's own header also sets `html, body {height: 100%}`, a zoom-locking viewport and
    absolute positioning, which would break the app's page, so those are left out.
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
            f'<div class="folium-map" role="region" aria-label="{html.escape(label)}"',
            1,
        )
    return MapParts(
        header="\n".join(links),
        html=div,
        script=root.script.render(),
        map_name=m.get_name(),
    )

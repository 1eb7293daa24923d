"""The map's overlays: cell, area, point, hot-spot, site, Gi* and gap layers as one GeoJson
each."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import folium

from outreach.maps.escaping import escape_properties, escape_text
from outreach.maps.style import (
    PALETTES,
    RATE,
    circle_radius,
    class_breaks,
    class_colour,
    legend_rows,
    rate_breaks,
    rate_colour,
    rate_legend_rows,
)
from outreach.templating import decimal

if TYPE_CHECKING:
    from outreach.maps.render import MapData


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


def _layer(m, features: list[dict], name: str, fields, aliases, **kw) -> folium.GeoJson:
    """One GeoJson element for a whole layer; the pop-up lists `fields` (none when empty).

    Every string property and label is HTML-escaped here, for every layer: the pop-up builds
    its table as HTML from them, and names and notes are typed by users of other organisations.
    """
    features = escape_properties(features)
    aliases = [escape_text(str(a)) for a in aliases]
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
    colours = {cell_id(layer, c.key): class_colour(layer, breaks, c.count) for c in drawn}

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


def add_area_layer(m, layer: str, figures: Sequence, data: MapData, text, show: bool) -> dict:
    """One proportional circle per area (maps.by_area.AreaFigure), all in ONE GeoJson, the
    largest drawn first so smaller ones stay on top to be tapped; coloured by kits per 1,000
    people at risk where the area has an estimate, else by its count. Returns the legend rows
    it used, by legend key (the layer, and RATE)."""
    counted = class_breaks(f.count for f in figures if f.rate is None)
    rated = rate_breaks(f.rate for f in figures if f.rate is not None)
    largest = max((f.count for f in figures), default=0)
    styles, features = {}, []
    for f in sorted(figures, key=lambda f: -f.count):
        fid = cell_id(layer, f.code)
        fill = (
            class_colour(layer, counted, f.count) if f.rate is None else rate_colour(rated, f.rate)
        )
        styles[fid] = {"radius": circle_radius(f.count, largest), "fillColor": fill}
        rate = "—" if f.rate is None else decimal(f.rate, 1)
        props = {"name": f.name, "n": f.count, "own": f.own, "rate": rate}
        point = {"type": "Point", "coordinates": [round(f.lon, 5), round(f.lat, 5)]}
        features.append({"type": "Feature", "id": fid, "geometry": point, "properties": props})
    fields = ["name", "n", "own", "rate"] if layer == "handouts" else ["name", "n", "own"]
    aliases = [text["area"], f"{text[layer]} ({data.period})", text["own"], text[RATE]]
    aliases = aliases[: len(fields)]
    tip = [escape_text(str(a)) for a in aliases[:2]]
    _layer(
        m,
        features,
        text[layer],
        fields,
        aliases,
        show=show,
        marker=folium.CircleMarker(radius=6, color="#222", weight=1, fill=True, fill_opacity=0.85),
        style_function=lambda feature: styles.get(feature["id"], {}),
        tooltip=folium.GeoJsonTooltip(fields=fields[:2], aliases=tip) if features else None,
    )
    legends = {}
    if any(f.rate is None for f in figures):
        legends[layer] = legend_rows(layer, counted)
    if any(f.rate is not None for f in figures):
        legends[RATE] = rate_legend_rows(rated, lambda v: decimal(v, 1))
    return legends


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
        _polygon_feature(
            cell_id("g", cell.key), cell.polygon, {"z": decimal(z, 2), "p": decimal(p, 4)}
        )
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

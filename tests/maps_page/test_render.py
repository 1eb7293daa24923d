"""The Folium map built by render.py: its layers, its assets, its size (no Flask app needed)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from types import SimpleNamespace

import folium

from outreach.maps.assets import use_local_assets
from outreach.maps.render import (
    HotSpotMark,
    MapData,
    SiteView,
    build_map,
    circle_polygon,
    class_breaks,
    legend_rows,
    page_parts,
)
from outreach.maps.style import circle_radius, rate_breaks, rate_legend_rows

OSM = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
SIZE = 0.01


def cell(row: int, col: int, count: int, own: int | None = None):
    s, w = row * SIZE, col * SIZE
    ring = [(w, s), (w + SIZE, s), (w + SIZE, s + SIZE), (w, s + SIZE), (w, s)]
    return SimpleNamespace(
        key=(row, col),
        lat=s + SIZE / 2,
        lon=w + SIZE / 2,
        polygon=ring,
        count=count,
        own=count if own is None else own,
        suppressed=False,
    )


def grid(n_rows: int, n_cols: int, base_row: int = 5100, base_col: int = -400) -> list:
    return [
        cell(base_row + r, base_col + c, 1 + (r * 7 + c * 13) % 400)
        for r in range(n_rows)
        for c in range(n_cols)
    ]


def data(**kw) -> MapData:
    kw.setdefault("cells", {"handouts": grid(3, 3), "overdoses": grid(2, 2)})
    return MapData(bounds=(51.0, -4.0, 51.1, -3.9), period="2025-01-01 – 2025-03-31", **kw)


def render(d: MapData, **kw) -> tuple[str, str]:
    use_local_assets("/static")
    kw.setdefault("tiles_url", OSM)
    m, _legends = build_map(d, **kw)
    parts = page_parts(m, "The map")
    return parts.header, parts.html + parts.script


def test_each_cell_layer_is_one_geojson_element_whatever_the_number_of_cells():
    _header, body = render(data(cells={"handouts": grid(20, 20), "contacts": grid(5, 5)}))
    assert body.count("L.geoJson(") == 2
    assert body.count("L.polygon(") == 0 and body.count("L.marker(") == 0
    assert '"name": "Handouts"' not in body  # names go to the layer control, checked next
    assert "Handouts" in body and "Outreach contacts" in body


def test_layer_control_lists_every_drawn_layer():
    d = data(
        hot_spots=[HotSpotMark("Bus station", "Injecting site", 51.05, -3.95, 200, "3 kits")],
        sites=[SiteView("Drop-in centre", 51.06, -3.96)],
        gi=[(cell(5105, -396, 50), 3.2, 0.001)],
        gaps=[SimpleNamespace(cell=cell(5104, -397, 4), overdoses=3, contacts=1, kits_nearby=0)],
    )
    _header, body = render(d)
    assert "L.control.layers(" in body
    for name in ("Handouts", "Overdose reports", "Named hot spots", "Sites"):
        assert name in body
    assert "Computed hot spots" in body and "Coverage gaps" in body
    assert body.count("L.geoJson(") == 6


def test_rendered_map_names_no_cdn_url_only_the_tile_template():
    header, body = render(data(sites=[SiteView("Base", 51.05, -3.95)]))
    links = re.findall(r'(?:src|href)="([^"]+)"', header)
    assert links == [
        "/static/vendor/leaflet-1.9.4/leaflet.js",
        "/static/vendor/leaflet-1.9.4/leaflet.css",
    ]
    assert not re.search(r"<(?:script|link)[^>]+(?:src|href)=\"https?:", header + body)
    urls = set(re.findall(r"https?://[^\s\"'<>)\\]+", header + body))
    assert urls == {OSM, "https://www.openstreetmap.org/copyright"}  # tiles and their credit


def test_local_assets_exist_in_static_vendor():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "static"
    for _name, url in folium.Map.default_js + folium.Map.default_css:
        use_local_assets("/static")
        assert (root / url.removeprefix("/static/")).is_file(), url


def test_use_local_assets_replaces_the_class_lists_without_mutating_them():
    before = folium.Map.default_js
    use_local_assets("/static")
    use_local_assets("/static")
    assert folium.Map.default_js == [("leaflet", "/static/vendor/leaflet-1.9.4/leaflet.js")]
    assert folium.Map.default_js is not before or before == folium.Map.default_js


def test_max_zoom_is_set_on_the_map_even_without_tiles():
    _header, body = render(data(), tiles_url=None, max_zoom=17)
    assert '"maxZoom": 17' in body
    assert "L.tileLayer(" not in body


def test_no_tiles_when_the_tile_url_is_empty_and_layers_still_render():
    _header, body = render(data(), tiles_url="")
    assert "L.tileLayer(" not in body and body.count("L.geoJson(") == 2


def test_page_parts_keep_folium_page_wide_styles_out_of_the_head():
    header, body = render(data())
    assert "html, body" not in header and "user-scalable" not in header
    assert 'role="region" aria-label="The map"' in body


def test_page_for_2500_cells_is_under_one_megabyte():
    header, body = render(data(cells={"handouts": grid(50, 50)}))
    assert len((header + body).encode()) < 1_000_000


def test_popups_show_counts_and_dates_never_client_codes():
    point = SimpleNamespace(
        lat=51.05,
        lon=-3.95,
        occurred_at=datetime(2025, 2, 3, tzinfo=UTC),
        count=1,
        setting="street",
        client_hash="abc123secret",
    )
    _header, body = render(data(points={"handouts": [point]}))
    assert "2025-02-03" in body and "2025-01-01" in body and "2025-03-31" in body
    assert "abc123secret" not in body and "client" not in body.lower()


def test_hot_spot_is_drawn_with_its_radius_and_partner_notes_are_not_given():
    d = data(hot_spots=[HotSpotMark("Underpass", "Rough sleeping", 51.05, -3.95, 500, "", None)])
    _header, body = render(d)
    assert "Underpass" in body and "Rough sleeping" in body


def test_class_breaks_rise_and_legend_covers_them():
    breaks = class_breaks([1, 2, 3, 50, 120, 900, 4000])
    assert breaks[0] == 1 and breaks == sorted(set(breaks))
    rows = legend_rows("handouts", breaks)
    assert len(rows) == len(breaks) and rows[-1][1].endswith("+")
    assert class_breaks([]) == [1]


def test_circle_polygon_spans_the_radius():
    ring = circle_polygon(51.0, -3.0, 1000)
    lats = [lat for _lon, lat in ring]
    assert abs((max(lats) - min(lats)) * 111_320 - 2000) < 20


def area(code: str, count: int, rate: float | None = None, name: str | None = None):
    return SimpleNamespace(
        code=code, name=name or code, lat=51.5, lon=-3.5, count=count, own=count, rate=rate
    )


def test_an_area_layer_is_one_geojson_of_circles_sized_by_count_with_a_legend_each_scale():
    figures = [area("W1", 400, rate=8.0), area("W2", 100), area("W3", 1, name="<b>Town</b>")]
    use_local_assets("/static")
    m, legends = build_map(data(cells={}, areas={"handouts": figures}), tiles_url=None)
    parts = page_parts(m)
    body = parts.html + parts.script
    assert body.count("L.geoJson(") == 1 and "L.circleMarker(" not in body
    assert '"radius": 28.0' in body and '"radius": 14.0' in body  # area ∝ count: 400 vs 100
    assert '"radius": 6' in body  # the smallest can still be seen and tapped
    assert "<b>Town</b>" not in body and r"\u0026lt;b\u0026gt;Town" in body  # escaped
    assert legends == {  # counts where there is no estimate, rates where there is
        "handouts": [("#d9f0d3", "1–99"), ("#a6dba0", "100+")],
        "handouts_rate": [("#f2f0f7", "0.0–8.0"), ("#cbc9e2", "8.0+")],
    }
    assert "area is proportional to its count." in body  # the legend explains the size


def test_rate_classes_rise_from_zero_and_circles_have_a_floor():
    assert rate_breaks([]) == [0.0]
    breaks = rate_breaks([0.4, 1.234, 2.5, 7.77, 12.0])
    assert breaks[0] == 0.0 and breaks == sorted(set(breaks)) and 1.2 in breaks
    rows = rate_legend_rows(breaks, str)
    assert rows[0] == ("#f2f0f7", f"0.0–{breaks[1]}") and rows[-1][1].endswith("+")
    assert circle_radius(0, 0) == 6 and circle_radius(1, 10_000) == 6
    assert circle_radius(2500, 10_000) == 14.0 and circle_radius(10_000, 10_000) == 28.0

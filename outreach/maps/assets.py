"""Point Folium at the app's own copies of Leaflet, so a map needs no CDN."""

from __future__ import annotations

import folium

# The vendored Leaflet (static/vendor/VERSIONS.md). The map page needs nothing else: its
# pop-ups are GeoJsonPopup (plain Leaflet) and its markers are Leaflet circles, so Folium's
# jQuery, Bootstrap, Font Awesome and awesome-markers defaults are dropped, not served.
LEAFLET_DIR = "vendor/leaflet-1.9.4"
# Folium classes the page uses that list assets of their own (only Map, in folium 0.20).
ASSET_CLASSES: tuple[type, ...] = (folium.Map,)


def local_js(static_url_prefix: str) -> list[tuple[str, str]]:
    prefix = static_url_prefix.rstrip("/")
    return [("leaflet", f"{prefix}/{LEAFLET_DIR}/leaflet.js")]


def local_css(static_url_prefix: str) -> list[tuple[str, str]]:
    prefix = static_url_prefix.rstrip("/")
    return [("leaflet_css", f"{prefix}/{LEAFLET_DIR}/leaflet.css")]


def use_local_assets(static_url_prefix: str = "/static") -> None:
    """Replace (never mutate) the class-level asset lists once, at start-up.

    `Map.add_js_link()` would append to the shared class list and leak into every later map,
    so new lists are assigned instead; calling this twice gives the same result.
    """
    for cls in ASSET_CLASSES:
        cls.default_js = local_js(static_url_prefix)
        cls.default_css = local_css(static_url_prefix)

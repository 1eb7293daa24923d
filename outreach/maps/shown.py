"""What the map page shows for one query: the layers' cells and points, hot spots, Gi* and
coverage gaps, each read through the viewer's organisations (maps.queries)."""

from __future__ import annotations

from outreach.maps import queries
from outreach.maps.by_area import AREA_LAYERS, area_figures
from outreach.maps.models import HOT_SPOT_CATEGORIES
from outreach.maps.render import HotSpotMark

GAPS_MAX_SIZE = 0.02  # degrees: a grid cell of about 2 km, a view of about a city


def gather(user, q, flt, bbox, size, lang: str = "en") -> dict:
    """What the chosen layers show in the box: cells (or areas), points, hot spots, Gi* and
    coverage gaps. "layers" are those drawn as cells or areas: the area view has no contacts,
    which are filed under no area ("unfiled" says they were asked for)."""
    layers = [x for x in queries.LAYERS if x in q.layers]
    by_area = q.colour_by == "areas"
    drawn = [x for x in layers if x in AREA_LAYERS] if by_area else layers
    cells = {} if by_area else {x: queries.cells(user, x, flt, bbox, size) for x in layers}
    areas = area_figures(user, drawn, flt, q.level, lang) if by_area else {}
    points = {}
    if "points" in q.layers:
        for layer in layers:
            found = queries.points(user, layer, flt, bbox)
            if found is not None:
                points[layer] = found
    gi, gi_error = [], False
    if q.gi_layer:
        try:
            gi = queries.gi_star(user, q.gi_layer, flt, bbox, size)
        except ValueError:
            gi_error = True
    # Coverage gaps need a ~1 km grid: for a regional or national view they cost seconds, so
    # they are worked out once the view is a city or smaller (the page says so).
    gaps_skipped = "gaps" in q.layers and size > GAPS_MAX_SIZE
    gaps = []
    if "gaps" in q.layers and not gaps_skipped:
        gaps = queries.coverage_gaps(user, flt, bbox, size)
    return {
        "layers": drawn,
        "cells": cells,
        "areas": areas,
        "unfiled": [x for x in layers if x not in drawn],
        "points": points,
        "spots": queries.hot_spots(user) if "hot_spots" in q.layers else [],
        "gi": gi,
        "gi_error": gi_error,
        "gaps": gaps,
        "gaps_skipped": gaps_skipped,
    }


def tables(found: dict, rows: int) -> dict:
    """What the page's tables repeat of the map (its text alternative): each layer's busiest
    `rows` squares or every area, each layer's total, and the first `rows` computed hot spots
    and coverage gaps."""
    cells, areas = found["cells"], found["areas"]
    return {
        "top": {x: sorted(cs, key=lambda c: -c.count)[:rows] for x, cs in cells.items()},
        "totals": {x: sum(c.count for c in drawn) for x, drawn in {**cells, **areas}.items()},
        "areas": areas,
        "unfiled": found["unfiled"],
        "gi": found["gi"][:rows],
        "gaps": found["gaps"][:rows],
    }


def _activity(spot, text: dict[str, str]) -> str:
    return ", ".join(f"{text[k]}: {n}" for k, n in spot.recent.items()) if spot.recent else ""


def categories() -> dict[str, str]:
    return {k: str(v) for k, v in HOT_SPOT_CATEGORIES.items()}


def marks(spots, text: dict[str, str]) -> list[HotSpotMark]:
    """The named hot spots as drawn; a partner's notes stay with the partner."""
    names = categories()
    return [
        HotSpotMark(
            s.name,
            names.get(s.category, s.category),
            s.latitude,
            s.longitude,
            s.radius_m,
            _activity(s, text),
            s.notes if s.own else None,
        )
        for s in spots
    ]

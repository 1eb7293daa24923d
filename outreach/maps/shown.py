"""What the map page shows for one query: the layers' cells and points, hot spots, Gi* and
coverage gaps, each read through the viewer's organisations (maps.queries)."""

from __future__ import annotations

from outreach.maps import queries
from outreach.maps.models import HOT_SPOT_CATEGORIES
from outreach.maps.render import HotSpotMark

GAPS_MAX_SIZE = 0.02  # degrees: a grid cell of about 2 km, a view of about a city


def gather(user, q, flt, bbox, size) -> dict:
    """What the chosen layers show in the box: cells, points, hot spots, Gi* and coverage gaps."""
    layers = [x for x in queries.LAYERS if x in q.layers]
    cells = {x: queries.cells(user, x, flt, bbox, size) for x in layers}
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
        "layers": layers,
        "cells": cells,
        "points": points,
        "spots": queries.hot_spots(user) if "hot_spots" in q.layers else [],
        "gi": gi,
        "gi_error": gi_error,
        "gaps": gaps,
        "gaps_skipped": gaps_skipped,
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

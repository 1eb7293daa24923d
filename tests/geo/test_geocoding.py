"""Offline tests for outreach.geo: gazetteer lookups, caching and the online fallback."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from geopy.exc import GeocoderUnavailable
from geopy.geocoders import Nominatim

from outreach.geo import gazetteer
from outreach.geo.geocoding import Geocoder, build_geocoder, distance_km

TRUE_POINTS = {
    "Swansea": (51.6214, -3.9436),
    "Cardiff": (51.4816, -3.1791),
    "Newport": (51.5842, -2.9977),  # Casnewydd, Wales
    "Birmingham": (52.4862, -1.8904),
    "Göteborg": (57.7089, 11.9746),
    "Merthyr Tydfil": (51.7487, -3.3816),
}
NEAR_CARDIFF = (51.58, -3.0)
OFFLINE = Geocoder(provider="offline")


class FakeOnline:
    """A geopy-compatible geocoder that answers from a dict and counts its calls."""

    def __init__(self, answers: dict[str, tuple[float, float]] | None = None) -> None:
        self.answers = answers or {}
        self.calls: list[str] = []

    def geocode(self, query: str, **kwargs: Any) -> Any:
        self.calls.append(query)
        if query not in self.answers:
            return None
        lat, lon = self.answers[query]
        return SimpleNamespace(address=f"{query}, Somewhere, UK", latitude=lat, longitude=lon)


class DownOnline(FakeOnline):
    """An online geocoder whose service is unreachable."""

    def geocode(self, query: str, **kwargs: Any) -> Any:
        self.calls.append(query)
        raise GeocoderUnavailable("no route to host")


def assert_near(place: gazetteer.Place | None, true_name: str, km: float = 10.0) -> None:
    assert place is not None
    assert distance_km((place.latitude, place.longitude), TRUE_POINTS[true_name]) < km


CASES = [(n, n, None) for n in ("Swansea", "Cardiff", "Birmingham", "Göteborg")] + [
    ("Newport", "Newport", NEAR_CARDIFF),
    ("Gothenburg", "Göteborg", None),
]


@pytest.mark.parametrize(("query", "true_name", "near"), CASES)
def test_offline_places_resolve_within_10_km(query: str, true_name: str, near: Any) -> None:
    place = OFFLINE.geocode(query, near=near)
    assert_near(place, true_name)
    assert place is not None and place.source == "gazetteer"


def test_welsh_aliases_resolve_to_welsh_places() -> None:
    swansea = gazetteer.lookup("Abertawe")
    assert swansea is not None and swansea.name == "Swansea" and swansea.region == "Wales"
    assert_near(gazetteer.lookup("Casnewydd"), "Newport")
    assert_near(gazetteer.lookup("Merthyr Tudful"), "Merthyr Tydfil", km=5)


def test_bias_point_picks_nearest_of_several_newports() -> None:
    isle_of_wight = gazetteer.lookup("Newport", near=(50.70, -1.29))
    assert isle_of_wight is not None and isle_of_wight.region == "England"
    assert_near(gazetteer.lookup("Newport", near=NEAR_CARDIFF), "Newport")


def test_name_comma_region_query_selects_welsh_newport() -> None:
    assert_near(gazetteer.lookup("Newport, Wales"), "Newport")
    assert gazetteer.lookup("Newport, Narnia") is None


def test_accent_insensitive_goteborg_and_gothenburg_keep_swedish_name() -> None:
    for query in ("goteborg", "  GÖTEBORG ", "Gothenburg"):
        place = gazetteer.lookup(query)
        assert place is not None and place.name == "Göteborg" and place.country_code == "SE"


def test_nonsense_name_returns_none() -> None:
    assert OFFLINE.geocode("Xyzzyplughville") is None


@pytest.mark.parametrize("query", ["", "   ", "\t\n"])
def test_blank_query_returns_none_without_calling_online(query: str) -> None:
    fake = FakeOnline()
    assert Geocoder(online=fake, min_delay_seconds=0).geocode(query) is None
    assert fake.calls == []


def test_countries_filter_excludes_other_countries() -> None:
    assert gazetteer.lookup("Göteborg", countries=("GB",)) is None


def test_online_result_becomes_online_place() -> None:
    fake = FakeOnline({"10 Wind Street, Swansea": (51.619, -3.939)})
    place = Geocoder(online=fake, min_delay_seconds=0).geocode("10 Wind Street, Swansea")
    assert place is not None and place.source == "online"
    assert place.name == "10 Wind Street" and place.region == ""


def test_cache_hit_and_cached_miss_do_not_call_online_twice() -> None:
    fake = FakeOnline({"Cardiff": TRUE_POINTS["Cardiff"]})
    geocoder = Geocoder(online=fake, min_delay_seconds=0)
    first = geocoder.geocode("Cardiff")
    assert geocoder.geocode("  cardiff ") == first
    assert geocoder.geocode("Xyzzyplughville") is None
    assert geocoder.geocode("xyzzyplughville") is None
    assert fake.calls == ["Cardiff", "Xyzzyplughville"]


def test_cache_is_bounded_lru() -> None:
    fake = FakeOnline({"a": (1.0, 1.0), "b": (2.0, 2.0)})
    geocoder = Geocoder(online=fake, min_delay_seconds=0, cache_size=1)
    geocoder.geocode("a"), geocoder.geocode("b"), geocoder.geocode("a")
    assert fake.calls == ["a", "b", "a"]


def test_online_error_falls_back_to_gazetteer_uncached(caplog: pytest.LogCaptureFixture) -> None:
    down = DownOnline()
    geocoder = Geocoder(online=down, min_delay_seconds=0)
    place = geocoder.geocode("Swansea")
    assert_near(place, "Swansea")
    assert place is not None and place.source == "gazetteer"
    assert geocoder.geocode("Swansea") == place and len(down.calls) == 2  # outage not pinned
    assert "GeocoderUnavailable" in caplog.text and "Swansea" not in caplog.text


def test_online_none_falls_back_to_gazetteer() -> None:
    place = Geocoder(online=FakeOnline(), min_delay_seconds=0).geocode("Abertawe")
    assert place is not None and place.name == "Swansea" and place.source == "gazetteer"


def test_search_prefix_card_puts_cardiff_first() -> None:
    names = [p.name for p in gazetteer.search("Card")]
    assert names[0] == "Cardiff" and len(names) <= 10
    assert gazetteer.search("") == [] and gazetteer.search("Card", limit=0) == []


def test_offline_factory_builds_gazetteer_only_geocoder() -> None:
    geocoder = build_geocoder(None, "outreach-tests")
    assert geocoder.online is None
    assert_near(geocoder.geocode("Cardiff"), "Cardiff")


def test_nominatim_is_restricted_to_lowercase_country_codes() -> None:
    class RecordingNominatim(Nominatim):
        def geocode(self, query: str, **kwargs: Any) -> Any:  # type: ignore[override]
            self.kwargs = kwargs
            return None

    fake = RecordingNominatim(user_agent="outreach-tests")
    Geocoder(online=fake, min_delay_seconds=0, countries=("GB", "SE")).geocode("Cardiff")
    assert fake.kwargs["country_codes"] == ["gb", "se"]

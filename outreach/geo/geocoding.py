"""Online geocoding (via geopy) with a bounded cache and an offline gazetteer fallback."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from geopy.distance import geodesic
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim, get_geocoder_for_service

from outreach.geo import gazetteer
from outreach.geo.gazetteer import Place

logger = logging.getLogger(__name__)

OFFLINE_PROVIDERS = frozenset({"", "offline", "none"})
_MISS = object()


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic (WGS-84) distance between two (latitude, longitude) points in km."""
    return float(geodesic(a, b).km)


def _cache_key(query: str, near: tuple[float, float] | None) -> tuple[str, Any]:
    where = None if near is None else (round(near[0], 1), round(near[1], 1))
    return (" ".join(query.casefold().split()), where)


class Geocoder:
    """Geocode free text: online provider first, offline gazetteer when it fails or misses."""

    def __init__(
        self,
        provider: str | None = "nominatim",
        user_agent: str = "outreach",
        timeout: float = 3.0,
        min_delay_seconds: float = 1.0,
        countries: Iterable[str] = gazetteer.DEFAULT_COUNTRIES,
        cache_size: int = 2048,
        online: Any | None = None,
    ) -> None:
        self.countries: tuple[str, ...] = tuple(c.upper() for c in countries)
        self.cache_size = max(0, cache_size)
        self._cache: OrderedDict[tuple[str, Any], Place | None] = OrderedDict()
        self._cache_lock = threading.Lock()
        if online is None and (provider or "").casefold() not in OFFLINE_PROVIDERS:
            online = get_geocoder_for_service(provider)(user_agent=user_agent, timeout=timeout)
        self.online: Any | None = online
        self._online_geocode: Callable[..., Any] | None = None
        if online is not None:
            delay = max(0.0, min_delay_seconds)
            self._online_geocode = RateLimiter(
                online.geocode,
                min_delay_seconds=delay,
                error_wait_seconds=delay,
                max_retries=0,
                swallow_exceptions=False,
            )

    def geocode(self, query: str, near: tuple[float, float] | None = None) -> Place | None:
        """Resolve ``query`` to a Place, or None when neither source knows it."""
        if not query or not query.strip():
            return None
        key = _cache_key(query, near)
        cached = self._cache_get(key)
        if cached is not _MISS:
            return cached  # type: ignore[return-value]
        place, online_failed = self._geocode_online(query.strip(), near)
        if place is None:
            place = gazetteer.lookup(query, countries=self.countries, near=near)
        if not online_failed:  # never pin a fallback answer caused by a transient outage
            self._cache_put(key, place)
        return place

    def _geocode_online(
        self, query: str, near: tuple[float, float] | None
    ) -> tuple[Place | None, bool]:
        if self._online_geocode is None:
            return None, False
        kwargs: dict[str, Any] = {}
        if isinstance(self.online, Nominatim):
            kwargs = {"country_codes": [c.lower() for c in self.countries], "addressdetails": True}
            if near is not None:
                lat, lon = near
                kwargs["viewbox"] = [(lat - 0.5, lon - 0.5), (lat + 0.5, lon + 0.5)]
        try:
            location = self._online_geocode(query, **kwargs)
        except (GeopyError, OSError) as exc:
            # The query may be a client's whereabouts: log the failure, never the text.
            logger.warning(
                "online geocoder failed (%s: %s); using gazetteer", type(exc).__name__, exc
            )
            return None, True
        if isinstance(location, list):
            location = location[0] if location else None
        if location is None:
            return None, False
        return _place_from_location(location), False

    def _cache_get(self, key: tuple[str, Any]) -> object:
        with self._cache_lock:
            if key not in self._cache:
                return _MISS
            self._cache.move_to_end(key)
            return self._cache[key]

    def _cache_put(self, key: tuple[str, Any], place: Place | None) -> None:
        if not self.cache_size:
            return
        with self._cache_lock:
            self._cache[key] = place
            self._cache.move_to_end(key)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)

    def clear_cache(self) -> None:
        """Forget every cached answer."""
        with self._cache_lock:
            self._cache.clear()


def _place_from_location(location: Any) -> Place:
    address = str(getattr(location, "address", "") or "")
    raw = getattr(location, "raw", None)
    details = raw.get("address", {}) if isinstance(raw, dict) else {}
    code = str(details.get("country_code", "") if isinstance(details, dict) else "").upper()
    return Place(
        name=address.split(",")[0].strip(),
        latitude=float(location.latitude),
        longitude=float(location.longitude),
        country_code=code,
        region="",
        source="online",
    )


def build_geocoder(
    provider: str | None,
    user_agent: str,
    *,
    timeout: float = 3.0,
    min_delay_seconds: float = 1.0,
    countries: Iterable[str] = gazetteer.DEFAULT_COUNTRIES,
    cache_size: int = 2048,
    **provider_options: Any,
) -> Geocoder:
    """Build the app's Geocoder; ``provider_options`` (e.g. api_key) go to the geopy class."""
    online = None
    if provider_options and (provider or "").casefold() not in OFFLINE_PROVIDERS:
        cls = get_geocoder_for_service(provider)
        online = cls(user_agent=user_agent, timeout=timeout, **provider_options)
    return Geocoder(
        provider=provider,
        user_agent=user_agent,
        timeout=timeout,
        min_delay_seconds=min_delay_seconds,
        countries=countries,
        cache_size=cache_size,
        online=online,
    )

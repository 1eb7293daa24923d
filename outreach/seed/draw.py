"""Realistic proportions for generated records, and the numpy primitives that draw them."""

from __future__ import annotations

from datetime import datetime

import numpy as np

# Shares of handouts by setting (prison release ~7%, as the Welsh programme reports).
SETTINGS = {
    "street": 0.33,
    "hostel": 0.20,
    "drop_in": 0.15,
    "pharmacy": 0.06,
    "hospital": 0.08,
    "prison_release": 0.07,
    "police_custody": 0.03,
    "event": 0.03,
    "postal": 0.05,
}
TALLY_SETTINGS = {"hostel": 0.45, "drop_in": 0.30, "event": 0.25}
RECIPIENT_TYPES = {"at_risk": 0.78, "family_friend": 0.15, "worker": 0.04, "other": 0.03}
FIRST_SUPPLY_SHARE = 0.5
# Among repeats: a quarter replace a kit used on an overdose, then losses and the rest.
REPEAT_REASONS = {
    "used_self": 0.11,
    "used_other": 0.14,
    "lost": 0.22,
    "expired": 0.15,
    "confiscated": 0.11,
    "stolen": 0.09,
    "damaged": 0.07,
    "given_away": 0.06,
    "other": 0.05,
}
PREVIOUS_SOURCES = {
    "this_service": 0.45,
    "other_service": 0.15,
    "pharmacy": 0.13,
    "prison": 0.08,
    "hospital": 0.05,
    "peer": 0.09,
    "unknown": 0.05,
}
TALLY_SHARE = 0.04
CODED_SHARE = 0.4  # single handouts that carry a client code
LOCATION_SOURCES = {"gps": 0.55, "site": 0.40, "place": 0.05}
# Kit mix by country: Sweden hands out nasal spray almost only. (New countries go last: a
# country's place in this order is its number in the generated columns.)
PRODUCT_MIX = {
    "GB-WLS": (0.60, 0.35, 0.05),
    "GB-ENG": (0.50, 0.45, 0.05),
    "SE": (0.12, 0.88, 0.00),
    "GB-SCT": (0.65, 0.33, 0.02),
}
# The people behind client codes: mostly men, mostly 25 to 44 at their first supply, few under
# 18 (band: share, youngest and oldest age in it).
SEXES = {"M": 0.70, "F": 0.29, "X": 0.01}
AGE_AT_FIRST_SUPPLY = {
    "under_18": (0.02, 16, 17),
    "18_24": (0.10, 18, 24),
    "25_34": (0.33, 25, 34),
    "35_44": (0.32, 35, 44),
    "45_54": (0.16, 45, 54),
    "55_plus": (0.07, 55, 69),
}
CONTACT_SERVICES = {
    "naloxone": 0.40,
    "injecting_equipment": 0.35,
    "food_clothing": 0.30,
    "housing": 0.12,
    "wound_care": 0.12,
    "bbv_testing": 0.10,
    "treatment_referral": 0.10,
    "mental_health": 0.08,
}
CONTACT_REFERRALS = {
    "treatment": 0.08,
    "housing": 0.07,
    "mental_health": 0.05,
    "gp": 0.05,
    "bbv": 0.03,
    "other": 0.02,
}
ADMINISTERED_BY = {"peer": 0.35, "family_friend": 0.35, "worker": 0.15, "self": 0.05, "other": 0.1}
OUTCOMES = {"survived": 0.92, "died": 0.03, "unknown": 0.05}
PLACE_TYPES = {
    "own_home": 0.34,
    "other_home": 0.20,
    "hostel": 0.14,
    "public": 0.22,
    "service": 0.05,
    "other": 0.05,
}
PLACE_KNOWN = 0.9
# Of those who survived: referred on to treatment or support (yes, no, not known).
REFERRED = (0.3, 0.5, 0.2)
# Taken to hospital, when an ambulance was called and when not.
HOSPITAL_AFTER_CALL, HOSPITAL_OTHERWISE = 0.45, 0.03
# Outreach is a day and evening job: relative activity per hour of the day.
HOURS = np.array([1, 1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 9, 9, 9, 9, 9, 9, 8, 7, 6, 4, 3, 2], float)

_HEX = np.array([f"{i:02x}".encode() for i in range(256)], dtype="S2")


def codes(weights: dict[str, float]) -> np.ndarray:
    return np.array(list(weights), dtype=object)


def probs(weights: dict[str, float] | tuple | np.ndarray) -> np.ndarray:
    values = np.fromiter(weights.values(), float) if isinstance(weights, dict) else weights
    values = np.asarray(values, float)
    return values / values.sum()


def choice(rng: np.random.Generator, weights: dict[str, float], n: int) -> np.ndarray:
    """n codes drawn with the given weights, as an object array of str."""
    return codes(weights)[rng.choice(len(weights), size=n, p=probs(weights))]


def grouped_choice(rng: np.random.Generator, group: np.ndarray, table: np.ndarray) -> np.ndarray:
    """For each row, an index drawn from the probability row `table[group]`."""
    cum = np.cumsum(table / table.sum(axis=1, keepdims=True), axis=1)
    u = rng.random(len(group))
    return np.minimum((u[:, None] > cum[group]).sum(axis=1), table.shape[1] - 1)


def pick_within(rng: np.random.Generator, start: np.ndarray, count: np.ndarray) -> np.ndarray:
    """A uniform index in [start, start + count) for each row (count > 0)."""
    return start + (rng.random(len(start)) * count).astype(np.int64)


def uuid_strings(rng: np.random.Generator, n: int) -> list[str]:
    """n random version-4 UUIDs as strings, without a Python call per row."""
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    hexed = _HEX[raw].view(np.uint8).reshape(n, 32)
    out = np.full((n, 36), ord("-"), dtype=np.uint8)
    for dst, src in ((0, 0), (9, 8), (14, 12), (19, 16), (24, 20)):
        width = {0: 8, 24: 12}.get(dst, 4)
        out[:, dst : dst + width] = hexed[:, src : src + width]
    return out.view("S36").ravel().astype("U36").tolist()


def to_datetime64(value: datetime) -> np.datetime64:
    """A UTC-aware datetime as a naive numpy datetime64 in microseconds."""
    return np.datetime64(value.replace(tzinfo=None), "us")


def draw_times(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A time in [lo, hi] per row: a uniform day, then an hour that follows outreach hours."""
    span = (hi - lo).astype(np.int64)
    uniform = lo + (rng.random(len(lo)) * span).astype("timedelta64[us]")
    day = uniform.astype("datetime64[D]").astype("datetime64[us]")
    seconds = rng.choice(24, size=len(lo), p=probs(HOURS)) * 3600 + rng.integers(0, 3600, len(lo))
    t = day + seconds.astype("timedelta64[s]").astype("timedelta64[us]")
    # On the first and last day the hour may fall outside the range: keep the uniform time.
    return np.where((t < lo) | (t > hi), uniform, t)


def jitter(
    rng: np.random.Generator, lat: np.ndarray, lon: np.ndarray, km: float
) -> tuple[np.ndarray, np.ndarray]:
    """Points scattered around (lat, lon) with a normal spread of `km` kilometres."""
    n = len(lat)
    dlat = rng.normal(0, km, n) / 111.0
    dlon = rng.normal(0, km, n) / (111.0 * np.cos(np.radians(lat)))
    return np.clip(lat + dlat, -90, 90).round(6), np.clip(lon + dlon, -180, 180).round(6)


def optional(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """An object array holding values where mask is set and None elsewhere."""
    out = np.full(len(mask), None, dtype=object)
    out[mask] = np.asarray(values)[mask].tolist()
    return out

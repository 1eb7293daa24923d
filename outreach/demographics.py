"""What is kept of a person for the national figures: an age band and a sex, never the birth date;
and where a supply counts as made (its outlet type).

The tablet works the band out in static/js/outbox-store.js (ageBand), the same way."""

from __future__ import annotations

from datetime import date

from outreach.vocab import AGE_BANDS, OUTLET_TYPES, SETTINGS

# (band, youngest age in it), oldest first.
_BANDS = (
    ("55_plus", 55),
    ("45_54", 45),
    ("35_44", 35),
    ("25_34", 25),
    ("18_24", 18),
    ("under_18", 0),
)

# A supply with no site of a known type counts by its setting: peers hand out most kits, so
# what is not a prison gate, a pharmacy, a ward or police custody is a peer supply.
_OUTLET_OF_SETTING = {
    "prison_release": "prison",
    "pharmacy": "pharmacy",
    "hospital": "hospital",
    "police_custody": "non_drug_treatment",
}
assert set(_OUTLET_OF_SETTING) <= set(SETTINGS) and set(_OUTLET_OF_SETTING.values()) <= set(
    OUTLET_TYPES
)


def age_on(birth: date, day: date) -> int:
    """Whole years from `birth` to `day` (someone born on 29 February turns a year older on
    1 March in a common year)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def age_band(birth: date | None, day: date) -> str | None:
    """The band of a person born on `birth` on the local `day` of the supply; None unknown."""
    if birth is None or birth > day:
        return None
    age = age_on(birth, day)
    return next(code for code, youngest in _BANDS if age >= youngest)


def outlet_type(site_outlet: str | None, setting: str | None) -> str:
    """Where a supply counts as made: its site's own outlet type, else by its setting."""
    if site_outlet in OUTLET_TYPES:
        return site_outlet
    return _OUTLET_OF_SETTING.get(setting or "", "peer")


assert {code for code, _youngest in _BANDS} == set(AGE_BANDS)

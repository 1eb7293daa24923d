"""What a correction changed, written for the audit log: "field: old → new", nothing identifying.

The client code is a keyed hash and free text may name someone, so for those (and the point on
the map) the log says only that they changed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

# Named, never shown: their values could identify a person or a home.
UNSHOWN = {
    "client_hash": "client code",
    "notes": "notes",
    "place_name": "place name",
}
LOCATION = ("latitude", "longitude", "location_source")
# Who it was for and where it happened: what a correction of any field record may change last,
# in the order the audit log lists it.
CODE_AND_PLACE = ("client_hash", *LOCATION, "site_id", "place_name")


def snapshot(record: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The values of `fields` on `record` now (lists copied, so later edits do not reach them)."""
    return {f: list(v) if isinstance(v := getattr(record, f), list) else v for f in fields}


def _plain(value: Any) -> str:
    if value is None or value == []:
        return "—"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def describe(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """One line per changed field, in the order of `before`."""
    out: list[str] = []
    for name, old in before.items():
        new = after.get(name, old)
        if old == new:
            continue
        if name in LOCATION:
            if "location changed" not in out:
                out.append("location changed")
        elif name in UNSHOWN:
            out.append(f"{UNSHOWN[name]} changed")
        else:
            out.append(f"{name}: {_plain(old)} → {_plain(new)}")
    return out

"""What a careless or hostile client types: empty, missing, huge, odd unicode, odd numbers."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from hypothesis import strategies as st

MISSING = object()  # the field is left out of the body

ODD_TEXT = [
    "",
    " ",
    "x" * 10_000,
    "\x00",
    "a\x00b",
    "\u202eevil\u202c",  # right-to-left override
    "مرحبا بالعالم",
    "🧪💉" * 2_000,
    "\ud800",  # a lone surrogate: sent as the bytes a browser never would
    "' OR 1=1 --",
    "<script>alert(1)</script>",
    "{{7*7}}",
    "=cmd|' /C calc'!A0",
    "\r\n\t",
]
ODD_NUMBERS = [
    "0",
    "-1",
    "-2147483649",
    "9" * 40,
    "1e309",
    "-1e309",
    "nan",
    "inf",
    "5.5",
    " 7 ",
    "0x10",
    "١٢",  # Arabic-Indic digits
]
ODD_DATES = [
    "2026-02-30",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "1900-01-01T00:00",
    "2026-13-45T25:99",
    "2026-03-29T01:30",  # the hour the clocks skip in Europe
    "31/12/2026",
    "2026-11-18T10:00:00+99:00",
]


def text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(ODD_TEXT),
        st.text(max_size=40),
        st.text(st.characters(codec=None), min_size=200, max_size=2_000),
    )


def odd(f) -> st.SearchStrategy:
    """Something a form does not expect in this field (or any of its own options)."""
    return st.one_of(
        st.just(MISSING),
        text(),
        st.sampled_from(ODD_NUMBERS),
        st.sampled_from(ODD_DATES),
        st.integers().map(str),
        st.sampled_from(f.options or [""]),
    )


# What a careful user types into an empty field, by the end of its name or its input type.
BY_NAME = {
    "latitude": "51.62",
    "longitude": "-3.94",
    "client_initials": "JS",
    "client_dob": "1980-05-17",
    "client_sex": "M",
}


def plausible(f, now: datetime) -> st.SearchStrategy[str]:
    chosen = [o for o in f.options if o not in ("", "0")]
    if f.kind in ("select", "checkbox", "radio") and chosen:
        return st.sampled_from(([f.value] if f.value else []) + chosen)
    if f.value or f.kind == "hidden":
        return st.just(f.value)
    for suffix, value in BY_NAME.items():
        if f.name.endswith(suffix):
            return st.just(value)
    typed = {
        "number": "1",
        "date": (now - timedelta(days=1)).strftime("%Y-%m-%d"),
        "datetime-local": (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "email": "fuzz@example.org",
        "password": "a long enough passphrase 2026",
    }
    return st.just(typed.get(f.kind, "Fuzz"))


@st.composite
def body(draw, fields: dict, keep: set[str], now: datetime) -> dict:
    """A body for a form: every field as a careful user fills it, then up to three fields made
    odd (or left out), perhaps a made-up field or two; the `keep` ones (the CSRF token) as
    served and a one-time form key fresh each time, so a valid body may save."""
    out = draw(st.dictionaries(st.text(min_size=1, max_size=20), text(), max_size=2))
    out.update({name: draw(plausible(f, now)) for name, f in fields.items()})
    names = sorted(set(fields) - keep - {"form_key"})
    for name in draw(st.lists(st.sampled_from(names), max_size=3, unique=True)) if names else []:
        out[name] = draw(odd(fields[name]))
    if "form_key" in fields:
        out["form_key"] = str(uuid.UUID(int=draw(st.integers(0, 2**128 - 1)), version=4))
    return {k: v for k, v in out.items() if v is not MISSING}

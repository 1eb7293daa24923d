"""A site's opening times: typed per day ("9-17", "09:00-12:30, 13:30-17:00"), kept as one
short text ("mon=09:00-17:00;sat=10:00-13:00"), read back per day for the public page.

Times are the site's own wall-clock times: nothing is converted between zones. A day left empty
is a day the site is closed; a span may run past midnight ("20:00-02:00")."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # Monday first, as Babel counts
MAX_SPANS = 3  # spans a day: enough for a morning, an afternoon and an evening session
Span = tuple[str, str]

_TIME = re.compile(r"(\d{1,2})(?:[:.h](\d{2}))?")
_DASH = re.compile(r"\s*[-\u2010-\u2015]\s*")


class HoursError(ValueError):
    """A day's times could not be read; `message` says how to write them."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _time(text: str) -> str:
    match = _TIME.fullmatch(text.strip())
    hour, minute = (int(match.group(1)), int(match.group(2) or 0)) if match else (99, 0)
    if hour < 24 and minute < 60 or (hour, minute) == (24, 0):
        return f"{hour:02d}:{minute:02d}"
    raise HoursError(
        _l("%(text)s is not a time of day: write it as 09:00.", text=text.strip()[:20])
    )


def parse_day(text: str | None) -> tuple[Span, ...]:
    """One day's spans, earliest first, from what was typed; () for a closed day."""
    spans = []
    for part in (text or "").split(","):
        if not part.strip():
            continue
        pieces = _DASH.split(part.strip())
        if len(pieces) != 2:
            raise HoursError(_l("Write each span as 09:00-17:00, with a comma between two spans."))
        start, end = _time(pieces[0]), _time(pieces[1])
        if start == end:
            raise HoursError(_l("A span ends at another time than it starts."))
        spans.append((start, end))
    if len(spans) > MAX_SPANS:
        raise HoursError(_l("Give at most %(count)d spans a day.", count=MAX_SPANS))
    return tuple(sorted(spans))


def keep(spans_by_day: dict[str, tuple[Span, ...]]) -> str | None:
    """The week as one text; None when no day has a span (the site gave no times)."""
    parts = [
        f"{day}=" + ",".join(f"{start}-{end}" for start, end in spans_by_day[day])
        for day in DAYS
        if spans_by_day.get(day)
    ]
    return ";".join(parts) or None


def read(kept: str | None) -> dict[str, tuple[Span, ...]]:
    """The kept text as each day's spans (only the days that have some)."""
    week: dict[str, tuple[Span, ...]] = {}
    for part in (kept or "").split(";"):
        day, _sep, spans = part.partition("=")
        found = tuple(tuple(s.split("-", 1)) for s in spans.split(",") if "-" in s)
        if day in DAYS and found:
            week[day] = found  # type: ignore[assignment]
    return week


def typed(spans: tuple[Span, ...]) -> str:
    """A day's spans as the form shows them again: "09:00-12:30, 13:30-17:00"."""
    return ", ".join(f"{start}-{end}" for start, end in spans)

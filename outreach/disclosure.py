"""What may be shown of a figure that includes other organisations' data: the one rule.

A partner sees aggregates only, and every figure that includes another organisation's data
depends on that data only through one coarse value per figure, `partner_part`:

- partners' count under the threshold (DISCLOSURE_MIN_COUNT, 5 unless configured) adds 0,
  exactly as no partner data at all would: nothing says whether hidden data exists;
- otherwise it adds its count plus a small fixed perturbation (-2 to +2, drawn from a keyed
  hash of the figure's name and the count, so asking again gives the same answer), rounded
  to 5; a perturbed count under the threshold adds 0 too.

A mixed figure (the viewer's own exact part plus partners') is then own + partner_part,
rounded to 5 and "<5" under the threshold (`figure`, the report) or the own part as it is
when partners add nothing (`cell`, the map, where an organisation's own few events must
stay visible). Since the viewer knows their own part, all they can learn of partners' data
is partner_part of each figure they can ask for: subtracting their own figures, or one
window, box, filter or breakdown from another, gives differences of independently
perturbed, rounded and thresholded values, which leave a hidden count undetermined (the
perturbation keeps a total of several hidden parts from pinning them down, which
deterministic rounding would: 4 and 4 hidden, their sum shown as 10). Partner data is also
only ever filtered on whole local days, whole months and grid-aligned boxes (the callers).
See docs/disclosure.md.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta, tzinfo

from flask import current_app
from flask_babel import gettext as _

from outreach.timezones import local_day, start_of_day

DEFAULT_MIN_COUNT = 5
ROUND_TO = 5
# The perturbation added to a shown partners' count, and how often each value is drawn
# (out of 10): -2 and +2 one time in ten, -1 and +1 two, 0 four.
NOISE = (-2, -1, -1, 0, 0, 0, 0, 1, 1, 2)


def threshold() -> int:
    """The fewest records a count including other organisations' data needs to be shown."""
    return int(current_app.config.get("DISCLOSURE_MIN_COUNT", DEFAULT_MIN_COUNT))


def hidden(n: int, below: int | None = None) -> bool:
    """Whether a count including other organisations' data is too small to show (0 too)."""
    return abs(n) < (threshold() if below is None else below)


def rounded(n: float) -> int:
    """`n` to the nearest multiple of 5, halves away from zero (a negative change too)."""
    sign = 1 if n >= 0 else -1
    return int(sign * ROUND_TO * ((abs(n) + ROUND_TO // 2) // ROUND_TO))


def shown(n: int, below: int | None = None) -> int | None:
    """What may be shown of a count including other organisations' data: None (hidden), or
    the count rounded to 5."""
    return None if hidden(n, below) else rounded(n)


def marked(n: int, below: int | None = None) -> int | str:
    """`shown`, with a hidden count written "<5" (the threshold) for a table or a tile."""
    below = threshold() if below is None else below
    value = shown(n, below)
    return f"<{below}" if value is None else value


def noise(key: str, n: float) -> int:
    """The fixed perturbation of figure `key` when partners' part is `n`: the same figure and
    count always get the same one, a different count an independent one. Keyed with the
    app's secret, so nobody outside can work it out."""
    secret = str(current_app.config.get("SECRET_KEY") or "").encode()
    digest = hmac.new(secret, f"{key}|{n}".encode(), hashlib.sha256).digest()
    return NOISE[digest[0] % len(NOISE)]


def partner_part(n: float, key: str, records: int | None = None) -> int:
    """What partners' count `n` (made of `records` records, `n` itself unless told) may add
    to figure `key`: 0 when hidden, else the perturbed count rounded to 5."""
    if n < 0:  # a net decrease (stock adjustments): the same rule, the other way
        return -partner_part(-n, key, records)
    below = threshold()
    records = round(n) if records is None else records
    if records < below or n < below:
        return 0
    noisy = n + noise(key, n)
    return 0 if noisy < below else rounded(noisy)


def figure(own: float, partners: float, key: str, records: int | None = None) -> int | str:
    """A report's figure of the viewer's own part and partners' part: the sum with partners'
    part coarsened (`partner_part`), then "<5" or rounded to 5 like any partner figure."""
    return marked(own + partner_part(partners, key, records))


def value(own: float, partners: float, key: str, records: int | None = None) -> int | None:
    """`figure` as a number to work with (None when hidden), e.g. a change or a ratio."""
    shown_ = figure(own, partners, key, records)
    return shown_ if isinstance(shown_, int) else None


def cell(own: int, partners: int, key: str, records: int | None = None) -> int:
    """A map cell's count: the viewer's own part as it is when partners add nothing (hidden
    or none: the same), else own plus partners' part rounded to 5. 0: nothing to draw."""
    extra = partner_part(partners, key, records)
    return own if extra == 0 else rounded(own + extra)


def whole_days(start: datetime, end: datetime, tz: tzinfo) -> tuple[datetime, datetime]:
    """The window [start, end) widened to whole local days in `tz`: what partners' data is
    filtered on, so a finer window can neither date a partner's event nor split a day."""
    lo = start_of_day(local_day(start, tz), tz)
    last = local_day(end, tz)
    hi = start_of_day(last, tz)
    if hi < end:
        hi = start_of_day(last + timedelta(days=1), tz)
    return lo, hi


def note() -> str:
    """What a reader of a figure including partners' data needs to know, in their language:
    the page, every export and the API carry it."""
    return _(
        "Figures that include partner organisations' data are aggregates: a partner count under "
        "%(n)s is left out (shown as <%(n)s, or as if there were none), and the others are "
        "changed by at most 2 and rounded to the nearest 5, so that no hidden count can be "
        "worked out from a total or by comparing figures. Partners' data is counted over whole "
        "days (the map) or whole months (the report) and whole map squares.",
        n=threshold(),
    )

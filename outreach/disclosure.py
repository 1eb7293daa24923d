"""What may be shown of a count that includes other organisations' data: the one rule.

A partner sees aggregates only. A count that includes another organisation's records is hidden
when it is under the threshold (DISCLOSURE_MIN_COUNT, 5 unless configured) and otherwise
rounded to the nearest 5, so a hidden count cannot be worked out from a total minus the shown
parts (ONS-style: a total and its parts are each rounded on their own). A viewer's own
organisation's figures are shown as they are. The map, its spike alerts, the monthly report
and the API all ask here.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

DEFAULT_MIN_COUNT = 5
ROUND_TO = 5


def threshold() -> int:
    """The fewest records a count including other organisations' data needs to be shown."""
    return int(current_app.config.get("DISCLOSURE_MIN_COUNT", DEFAULT_MIN_COUNT))


def hidden(n: int, below: int | None = None) -> bool:
    """Whether a count including other organisations' data is too small to show (0 too)."""
    return abs(n) < (threshold() if below is None else below)


def rounded(n: int) -> int:
    """`n` to the nearest multiple of 5, halves away from zero (a negative change too)."""
    sign = 1 if n >= 0 else -1
    return sign * ROUND_TO * ((abs(n) + ROUND_TO // 2) // ROUND_TO)


def shown(n: int, below: int | None = None) -> int | None:
    """What may be shown of a count including other organisations' data: None (hidden), or
    the count rounded to 5."""
    return None if hidden(n, below) else rounded(n)


def marked(n: int, below: int | None = None) -> int | str:
    """`shown`, with a hidden count written "<5" (the threshold) for a table or a tile."""
    below = threshold() if below is None else below
    value = shown(n, below)
    return f"<{below}" if value is None else value


@dataclass(frozen=True)
class Mixed:
    """What to show of a figure made of the viewer's own part and partners' part."""

    count: int
    partners_withheld: bool  # partners' part was too small to show, so it was left out


def mixed(own: int, total: int, partner_records: int) -> Mixed | None:
    """A figure of the viewer's own part `own` plus partners' part (`total` in all, partners'
    part made of `partner_records` records). Own figures only: as they are. Partners' part
    under the threshold: left out, showing the viewer's own part alone (None when there is
    none), since the total would let the viewer subtract theirs. Otherwise the total, rounded.
    """
    if partner_records == 0:
        return Mixed(total, False)
    if hidden(partner_records):
        return Mixed(own, True) if own else None
    return Mixed(rounded(total), False)

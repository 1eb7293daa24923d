"""What a national return counts, for everything it covers and the viewer's own part, and how each
figure may be shown (outreach/reports/returns.py builds the return from them)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from outreach import disclosure
from outreach.areas.queries import Unit
from outreach.reports import programme
from outreach.reports.people import people_counts
from outreach.reports.periods import Period
from outreach.reports.scope import Scope

TREND_MONTHS = 24


@dataclass
class Counts:
    """Every count of a return for one part (everything in the scope, or the viewer's own
    organisation): per local authority (additive), per area of the return (people), for the
    return's root, over the period, the periods it is compared with and the trend's months."""

    supplies: dict
    people: dict
    overdoses: dict
    reach: dict
    compared: dict
    months: dict
    trend_keys: list[str]

    def of(self, unit: Unit) -> Counter:
        """Every count of one area of the return, over the period."""
        total = programme.summed(self.supplies, unit.leaves)
        total += programme.summed(self.overdoses, unit.leaves)
        total += self.people.get(unit.area.id, Counter())
        total["reach"] = programme.summed(self.reach, unit.leaves)["reach"]
        return total


def count(scope: Scope, root: Unit, parts: list[Unit], period: Period, own: int | None):
    """(everything, the own part) of every count of the return, each query run once for both."""
    leaves, start, end = root.leaves, period.start, period.end
    supplies = programme.supply_counts(scope, leaves, start, end, own)
    people = people_counts(scope, root, parts, start, end, own)
    overdoses = programme.overdose_counts(scope, leaves, start, end, own)
    reach = programme.reach_counts(scope, leaves, end, own)
    compared: tuple[dict, dict] = ({}, {})
    done: dict[str, tuple] = {}
    for name, other in (("previous", period.previous()), ("year_before", period.year_before())):
        if other.key not in done:  # a year's previous period is the same period last year
            totals = programme.totals(scope, leaves, other.start, other.end, own)
            people_then = people_counts(scope, root, [], other.start, other.end, own)
            for t, p in zip(totals, people_then, strict=True):
                t.update(p.get(root.area.id, Counter()))
            done[other.key] = totals
        compared[0][name], compared[1][name] = done[other.key]
    first = period.shifted(period.months - TREND_MONTHS)
    months = programme.monthly(scope, leaves, first.start, TREND_MONTHS, own)
    keys = Period("range", first.first, TREND_MONTHS).month_keys()
    return tuple(
        Counts(supplies[i], people[i], overdoses[i], reach[i], compared[i], months[i], keys)
        for i in (0, 1)
    )


# Figures whose value depends on other organisations' records even when they count only the
# viewer's own: whether a person is new is decided by every organisation's supplies. They are
# shown only under the disclosure rule, whole (never exact), so that no return can tell of one
# person whether they were supplied elsewhere before (the throttled, audited look-up does that:
# outreach/handouts/lookup.py).
CROSS_ORGANISATION = frozenset({"new_people", "new_at_risk", "reach"})


class Cells:
    """A return's figures as they may be shown: exact when the viewer sees only their own
    organisation, else own part plus partners' part through disclosure.figure; a figure of
    CROSS_ORGANISATION always whole through the rule.

    A figure's disclosure key names what it counts, not how it was asked: the months it
    covers (Period.span), the area's code and the measure. The same figure asked as a
    financial year or as a range of months, as a return's month or as a month of another
    return's trend, as a period or as another period's comparison, gets the same perturbation,
    so asking again several ways cannot average it away."""

    def __init__(self, own: Counts | None, every: Counts, span: str):
        self.own, self.every, self.span = own, every, span

    def pair(self, pick) -> tuple[float, float]:
        total = pick(self.every)
        if self.own is None:
            return total, 0
        mine = pick(self.own)
        return mine, total - mine

    def show(self, pick, name: str, measure: str = ""):
        """Figure `name` (span|area code|measure), picked from the counts by `pick`."""
        key = f"return|{name}"
        if measure in CROSS_ORGANISATION:
            return disclosure.figure(0, pick(self.every), key)
        own, partners = self.pair(pick)
        if self.own is None:
            return own
        return disclosure.figure(own, partners, key)

    def unit(self, unit: Unit, measure: str):
        name = f"{self.span}|{unit.area.code}|{measure}"
        return self.show(lambda c: c.of(unit)[measure], name, measure)

    def unit_value(self, unit: Unit, measure: str) -> float | None:
        shown = self.unit(unit, measure)
        return shown if isinstance(shown, int | float) else None

"""A report that mixes the viewer's own data and partners': every figure kept as its two parts,
so that what is shown depends on partners' data only through outreach.disclosure.

The report's figures are counted twice, once for the viewer's own organisation and once for
the partners in the scope, and `combine` pairs them into `Part`s carrying the figure's name.
The report's arithmetic (a total less a part, a sum of reasons, an average) works on both
parts; only `shown` turns a Part into a figure, through disclosure.figure. A figure, row or
month that only partners' data would add, and which that rule shows as nothing, is left out,
as it would be if partners had no such data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from outreach import disclosure
from outreach.reports import queries, stockflow
from outreach.reports.scope import Scope, add_month, month_start


@dataclass(frozen=True)
class Part:
    """One figure: the viewer's own part, exact, and partners' part, which is never shown."""

    own: float
    partners: float
    key: str

    def _pair(self, other) -> tuple[float, float, str]:
        if isinstance(other, Part):
            return other.own, other.partners, other.key
        return other, 0, str(other)

    def __add__(self, other) -> Part:
        own, partners, key = self._pair(other)
        return Part(self.own + own, self.partners + partners, f"{self.key}+{key}")

    __radd__ = __add__

    def __sub__(self, other) -> Part:
        own, partners, key = self._pair(other)
        return Part(self.own - own, self.partners - partners, f"{self.key}-{key}")

    def __truediv__(self, n: float) -> Part:
        return Part(self.own / n, self.partners / n, f"{self.key}/{n}")

    def __round__(self, digits=None) -> Part:
        return Part(round(self.own, digits), round(self.partners, digits), self.key)

    def __bool__(self) -> bool:
        """Whether the figure shows anything: never whether partners' hidden data exists."""
        return bool(self.own) or bool(disclosure.partner_part(self.partners, self.key))

    def shown(self) -> int | str:
        return disclosure.figure(self.own, self.partners, self.key)


def gather(scope: Scope, start: datetime, end: datetime) -> dict:
    """Every count the report is made of, for `scope` and the month from `start` to `end`."""
    return {
        "kits": queries.handout_figures(scope, start, end),
        "ods": queries.overdose_figures(scope, start, end),
        "contacts": queries.contact_figures(scope, start, end),
        "training": queries.training_figures(scope, start, end),
        "months": queries.trend(scope, month_start(*add_month(start.year, start.month, -11)), end),
        "use": queries.kits_by_product(
            scope, month_start(*add_month(start.year, start.month, -2)), end
        ),
        "flows": stockflow.stock_flow(scope, start, end),
        "expiring": stockflow.expiring(scope, end),
    }


def checks(flows: dict, *more: dict) -> dict:
    """Whether each product's stock flow balances (in every part given)."""
    out = {p: stockflow.balances(f) for p, f in flows.items()}
    for other in more:
        for p, f in other.items():
            out[p] = out.get(p, True) and stockflow.balances(f)
    return out


def combine(own, partners, key: str = "") -> object:
    """`own` and `partners` (the same shape of dicts, tuples and numbers; `own` None when the
    viewer's organisation is outside the scope) as one shape of Parts."""
    if isinstance(partners, dict) or isinstance(own, dict):
        own, partners = own or {}, partners or {}
        keys = list(own) + [k for k in partners if k not in own]
        return {k: combine(own.get(k), partners.get(k), f"{key}:{k}") for k in keys}
    if isinstance(partners, tuple) or isinstance(own, tuple):
        size = len(partners if isinstance(partners, tuple) else own)
        own, partners = own or (0,) * size, partners or (0,) * size
        return tuple(
            combine(o, p, f"{key}[{i}]") for i, (o, p) in enumerate(zip(own, partners, strict=True))
        )
    if own is None and partners is None:
        return None
    return Part(own or 0, partners or 0, key)


def _anything(value) -> bool:
    if isinstance(value, dict):
        return any(_anything(v) for v in value.values())
    if isinstance(value, tuple):
        return any(_anything(v) for v in value)
    return bool(value)


def expiring(own: list, partners: list) -> list[tuple]:
    """Batches expiring soon: the viewer's own with their kits exact, partners' only where the
    rule shows their kits."""
    rows = [(p, number, when, Part(n, 0, "expiring"), days) for p, number, when, n, days in own]
    for p, number, when, n, days in partners:
        kits = Part(0, n, f"expiring:{p}:{number}:{when}")
        if kits:
            rows.append((p, number, when, kits, days))
    return sorted(rows, key=lambda r: (r[2], str(r[1])))


def split_figures(mine: Scope | None, theirs: Scope, start: datetime, end: datetime) -> dict:
    """The report's counts of a mixed scope as Parts, with each product's balance check."""
    own = gather(mine, start, end) if mine is not None else None
    partners = gather(theirs, start, end)
    raw = {k: combine((own or {}).get(k), partners[k], k) for k in partners if k != "expiring"}
    raw["expiring"] = expiring((own or {}).get("expiring", []), partners["expiring"])
    raw["checks"] = checks((own or {}).get("flows", {}), partners["flows"])
    return prune(raw)


def prune(raw: dict) -> dict:
    """Leave out a product row that shows nothing (kits, stock flow, use): such a row would only
    say that partners hold or hand out that product in numbers too small to show."""
    raw["kits"]["by_product"] = {p: n for p, n in raw["kits"]["by_product"].items() if n}
    raw["flows"] = {p: f for p, f in raw["flows"].items() if _anything(f)}
    raw["use"] = {p: n for p, n in raw["use"].items() if n}
    return raw

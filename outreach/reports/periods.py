"""The periods the national returns are asked for: a month, a calendar quarter, a UK financial
year (April to March), a calendar year (Swedish regions report by it) or any run of whole months;
and the periods each is compared with. Every period is whole local months: each organisation's
records are counted in its own calendar (reports.scope.local_range), and partners' data is only
ever filtered on whole months (outreach/disclosure.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from outreach.reports.scope import LAST_YEAR, add_month, month_start

KINDS = ("month", "quarter", "financial_year", "year", "range")
MAX_MONTHS = 120  # the longest range asked for in one return

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_FY = re.compile(r"^FY(\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_RANGE = re.compile(r"^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$")


class PeriodError(ValueError):
    """The period is not written in one of the known forms, or is out of range."""


@dataclass(frozen=True)
class Period:
    kind: str
    first: tuple[int, int]  # (year, month) of its first month
    months: int

    @property
    def start(self) -> datetime:
        """Its first local midnight (naive)."""
        return month_start(*self.first)

    @property
    def end(self) -> datetime:
        """The local midnight after its last day (naive)."""
        return month_start(*add_month(*self.first, self.months))

    @property
    def last(self) -> tuple[int, int]:
        return add_month(*self.first, self.months - 1)

    @property
    def key(self) -> str:
        """How it is written in a link: 2026-10, 2026-Q3, FY2025, 2025, 2025-04..2026-03."""
        year, month = self.first
        if self.kind == "month":
            return f"{year:04d}-{month:02d}"
        if self.kind == "quarter":
            return f"{year:04d}-Q{(month - 1) // 3 + 1}"
        if self.kind == "financial_year":
            return f"FY{year:04d}"
        if self.kind == "year":
            return f"{year:04d}"
        return "{:04d}-{:02d}..{:04d}-{:02d}".format(*self.first, *self.last)

    @property
    def label(self) -> str:
        """How a reader sees it: 2026-10, 2026 Q3, 2025/26, 2025, 2025-04 – 2026-03."""
        year = self.first[0]
        if self.kind == "quarter":
            return f"{year} Q{(self.first[1] - 1) // 3 + 1}"
        if self.kind == "financial_year":
            return f"{year}/{(year + 1) % 100:02d}"
        if self.kind == "range":
            return "{:04d}-{:02d} – {:04d}-{:02d}".format(*self.first, *self.last)
        return self.key

    @property
    def span(self) -> str:
        """The months it covers, however it was written (FY2025 and 2025-04..2026-03 alike):
        what a figure's disclosure key names, so one figure asked two ways is one figure."""
        return "{:04d}-{:02d}+{}".format(*self.first, self.months)

    def shifted(self, months: int) -> Period:
        return Period(self.kind, add_month(*self.first, months), self.months)

    def previous(self) -> Period:
        """The period of the same kind and length just before."""
        return self.shifted(-self.months)

    def year_before(self) -> Period:
        """The same period a year earlier."""
        return self.shifted(-12)

    def month_keys(self) -> list[str]:
        return ["{:04d}-{:02d}".format(*add_month(*self.first, i)) for i in range(self.months)]


def _checked(kind: str, year: int, month: int, months: int) -> Period:
    if not 1 <= month <= 12 or not 2001 <= year <= LAST_YEAR - 11:
        raise PeriodError(kind)
    if not 1 <= months <= MAX_MONTHS:
        raise PeriodError(kind)
    return Period(kind, (year, month), months)


def parse(text: str | None, default: Period) -> Period:
    """The period written `text` (see Period.key), or `default` when none is given."""
    text = (text or "").strip()
    if not text:
        return default
    if m := _MONTH.match(text):
        return _checked("month", int(m[1]), int(m[2]), 1)
    if m := _QUARTER.match(text):
        return _checked("quarter", int(m[1]), 3 * int(m[2]) - 2, 3)
    if m := _FY.match(text):
        return _checked("financial_year", int(m[1]), 4, 12)
    if m := _YEAR.match(text):
        return _checked("year", int(m[1]), 1, 12)
    if m := _RANGE.match(text):
        first, last = (int(m[1]), int(m[2])), (int(m[3]), int(m[4]))
        months = (last[0] - first[0]) * 12 + last[1] - first[1] + 1
        if not 1 <= last[1] <= 12:
            raise PeriodError(text)
        return _checked("range", *first, months)
    raise PeriodError(text)


def last_full(kind: str, today: date) -> Period:
    """The last complete period of `kind` before the local day `today`."""
    year, month = today.year, today.month
    if kind == "month":
        return Period("month", add_month(year, month, -1), 1)
    if kind == "quarter":
        first = (year, 3 * ((month - 1) // 3) + 1)
        return Period("quarter", add_month(*first, -3), 3)
    if kind == "financial_year":
        start = year if month >= 4 else year - 1  # the financial year we are in began then
        return Period("financial_year", (start - 1, 4), 12)
    return Period("year", (year - 1, 1), 12)

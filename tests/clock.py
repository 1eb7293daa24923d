"""The day a test's organisation lives in: the factories make organisations in Europe/London,
whose day starts an hour before UTC's in summer (00:30 on the 1st is still the 31st in UTC)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def org_today(zone: str = "Europe/London") -> date:
    return datetime.now(ZoneInfo(zone)).date()

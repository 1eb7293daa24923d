"""Up to when an organisation keeps person-level details: the one reading of its retention
period, for the purge (outreach/retention) and for the returns that say what it removed."""

from __future__ import annotations

from datetime import date, datetime

from outreach.models.base import utcnow
from outreach.orgs.models import Organisation
from outreach.timezones import zone


def cutoff_day(org: Organisation, months: int, now: datetime | None = None) -> date:
    """The 1st of the local month `months` whole months before the current one."""
    local = (now or utcnow()).astimezone(zone(org.timezone))
    year, month = divmod(local.year * 12 + local.month - 1 - months, 12)
    return date(year, month + 1, 1)

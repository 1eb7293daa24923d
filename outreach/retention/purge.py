"""retention-purge: remove the person-level details of records older than each organisation's
retention period (whole local months), keeping every figure the reports count."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import bindparam, delete, func, select, update

from outreach.api.models import ApiReceipt
from outreach.audit.services import record as audit
from outreach.extensions import db
from outreach.orgs.models import Organisation
from outreach.orgs.retention import cutoff_day
from outreach.retention import strip
from outreach.timezones import start_of_day, zone

Progress = Callable[[int], None]


@dataclass
class OrgPurge:
    org_id: int
    name: str
    before: date  # records before this local day (the 1st of a month) were purged
    removed: dict[str, int] = field(default_factory=dict)


def _field_kind(kind: strip.Kind, org_id: int, before: datetime, progress: Progress) -> int:
    t = kind.table
    stmt = strip.field_rows(kind, t.c.org_id == org_id, t.c.occurred_at < before)
    changed = 0
    for rows in strip.batches(stmt):
        changed += strip.rewrite(kind, rows, strip.anonymised)
        progress(len(rows))
    return changed


def _trainings(org_id: int, before: date) -> tuple[int, int]:
    """Sessions held before `before`: notes removed; attendees' client codes replaced."""
    s, a = strip.TRAINING.table, strip.ATTENDANCE.table
    held = select(s.c.id).where(s.c.org_id == org_id, s.c.held_on < before)
    sessions = db.session.execute(
        update(s).where(s.c.id.in_(held), s.c.notes.is_not(None)).values(notes=None)
    ).rowcount
    coded = list(
        db.session.scalars(
            select(a.c.id).where(
                a.c.session_id.in_(held),
                a.c.client_hash.is_not(None),
                ~a.c.client_hash.startswith("~"),
            )
        )
    )
    if coded:
        stmt = update(a).where(a.c.id == bindparam("_id")).values(client_hash=bindparam("h"))
        db.session.execute(stmt, [{"_id": i, "h": strip.surrogate()} for i in coded])
    return sessions, len(coded)


def purge_org(org: Organisation, months: int, progress: Progress) -> OrgPurge:
    """Strip `org`'s records older than `months` whole local months (not committed)."""
    day = cutoff_day(org, months)
    before = start_of_day(day, zone(org.timezone))
    result = OrgPurge(org.id, org.name, day)
    for kind in strip.FIELD_KINDS:
        result.removed[kind.code] = _field_kind(kind, org.id, before, progress)
    sessions, attendances = _trainings(org.id, day)
    result.removed[strip.TRAINING.code] = sessions
    result.removed[strip.ATTENDANCE.code] = attendances
    result.removed["api_receipt"] = db.session.execute(
        delete(ApiReceipt).where(ApiReceipt.org_id == org.id, ApiReceipt.created_at < before)
    ).rowcount
    return result


def pending(org: Organisation, months: int) -> int:
    """How many field records are older than the period (for the progress bar's total)."""
    before = start_of_day(cutoff_day(org, months), zone(org.timezone))
    total = 0
    for kind in strip.FIELD_KINDS:
        t = kind.table
        total += db.session.scalar(
            select(func.count()).where(t.c.org_id == org.id, t.c.occurred_at < before)
        )
    return total


def organisations() -> list[Organisation]:
    return list(db.session.scalars(select(Organisation).order_by(Organisation.id)))


def audit_purge(result: OrgPurge, months: int) -> None:
    """One event per kind with rows changed: counts and the cut-off, nothing else."""
    for kind, n in result.removed.items():
        if n:
            audit(
                "purge",
                kind,
                org_id=result.org_id,
                detail=f"rows={n}; before={result.before.isoformat()}; months={months}",
            )

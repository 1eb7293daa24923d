"""erase-client: cut one client code from every record in every organisation.

Each row that carries the code's keyed hash gets one random stand-in instead (the same for all
of them: "one person" still counts as one, but no code leads there any more) and loses its free
text; tablet-upload receipts of those rows go. Figures stay exact: no row is deleted and
nothing a report counts changes."""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import delete, select

from outreach.api.models import ApiReceipt
from outreach.audit.services import record as audit
from outreach.clientcode import stored_hashes
from outreach.extensions import db
from outreach.retention import strip

# The tablet-upload receipts (api_receipts.kind) that name a row of each kind by its id: their
# payload hash was made from a payload that held the client code's digest.
RECEIPT_KINDS = {
    "handout": ("handout", "tally"),
    "contact": ("contact",),
    "overdose_report": ("overdose_report",),
    "training_attendance": ("training_attendance",),  # record_id: the session
}


def client_hashes(initials: str, birth_date: date, sex: str) -> tuple[str, ...]:
    """Every stored form of a client code: today's, and that of records made before revision
    0013 (raises ClientCodeError for a malformed code)."""
    return stored_hashes(initials, birth_date, sex, current_app.config["CLIENT_CODE_KEY"])


def erase(hashes: tuple[str, ...]) -> dict[int, dict[str, int]]:
    """Unlink every row holding one of `hashes` (not committed): {org id: {record type: rows}}.
    Rows of either form get the same stand-in: they are one person's."""
    stand_in = strip.surrogate()
    found: dict[int, dict[str, int]] = {}
    for kind in strip.FIELD_KINDS:
        t = kind.table
        stmt = select(*strip.field_rows(kind).selected_columns, t.c.org_id)
        stmt = stmt.where(t.c.client_hash.in_(hashes)).order_by(t.c.id)
        for rows in strip.batches(stmt):
            strip.rewrite(kind, rows, lambda k, row: strip.unlinked(k, row, stand_in))
            for row in rows:
                found.setdefault(row.org_id, {}).setdefault(kind.code, 0)
                found[row.org_id][kind.code] += 1
            _drop_receipts(kind.code, [row.id for row in rows])
    _erase_attendances(hashes, stand_in, found)
    return found


def _drop_receipts(kind: str, ids: list[int]) -> None:
    db.session.execute(
        delete(ApiReceipt).where(
            ApiReceipt.kind.in_(RECEIPT_KINDS[kind]), ApiReceipt.record_id.in_(ids)
        )
    )


def _erase_attendances(hashes: tuple[str, ...], stand_in: str, found: dict) -> None:
    s, a = strip.TRAINING.table, strip.ATTENDANCE.table
    rows = db.session.execute(
        select(a.c.session_id, s.c.org_id)
        .join(s, s.c.id == a.c.session_id)
        .where(a.c.client_hash.in_(hashes))
    ).all()
    for _session, org_id in rows:
        found.setdefault(org_id, {}).setdefault(strip.ATTENDANCE.code, 0)
        found[org_id][strip.ATTENDANCE.code] += 1
    if rows:
        db.session.execute(
            a.update().where(a.c.client_hash.in_(hashes)).values(client_hash=stand_in)
        )
        _drop_receipts(strip.ATTENDANCE.code, sorted({session for session, _org in rows}))


def audit_erasure(found: dict[int, dict[str, int]]) -> None:
    """In each organisation's log: how many of its rows were unlinked, never the code."""
    for org_id, kinds in found.items():
        detail = ", ".join(f"{kind}={n}" for kind, n in sorted(kinds.items()))
        audit("erase", "client_code", org_id=org_id, detail=detail)

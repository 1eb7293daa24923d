"""What removing a row's person-level details means, one kind of record at a time."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import Table, bindparam, select, update

from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.overdoses.models import OverdoseReport
from outreach.trainings.models import TrainingAttendance, TrainingSession

# A void keeps its reason's presence (a void is complete or absent) but not its words.
REMOVED = "—"
# Positions are kept to 2 decimals (about 1 km): the map's area, not a doorstep.
PLACES = 2
BATCH = 500


def surrogate() -> str:
    """A random stand-in for a client-code hash: 64 characters that no code hashes to (keyed
    hashes are hex; this starts with "~"), so a row keeps "someone attended" but links to no
    code."""
    return "~" + secrets.token_hex(31)


def is_surrogate(value: str | None) -> bool:
    return bool(value) and value.startswith("~")


@dataclass(frozen=True)
class Kind:
    """A table of person-level rows: its audit record type and its free-text columns."""

    code: str
    model: type
    texts: tuple[str, ...]

    @property
    def table(self) -> Table:
        return self.model.__table__


FIELD_KINDS = (
    Kind("handout", Handout, ("place_name",)),
    Kind("contact", OutreachContact, ("place_name", "notes")),
    Kind("overdose_report", OverdoseReport, ("place_name",)),
)
TRAINING = Kind("training_session", TrainingSession, ("notes",))
ATTENDANCE = Kind("training_attendance", TrainingAttendance, ())


def _columns(kind: Kind) -> list:
    t = kind.table
    names = ["id", "client_hash", "latitude", "longitude", "void_reason", *kind.texts]
    return [t.c[name] for name in names]


def anonymised(kind: Kind, row) -> dict | None:
    """The values that strip `row` of person-level details; None if it has none left."""
    new = {"client_hash": None, "void_reason": REMOVED if row.void_reason else None}
    new |= {name: None for name in kind.texts}
    new["latitude"] = round(row.latitude, PLACES)
    new["longitude"] = round(row.longitude, PLACES)
    if all(getattr(row, k) == v for k, v in new.items()):
        return None
    return new


def unlinked(kind: Kind, row, stand_in: str) -> dict:
    """The values that cut `row` from its client code: the stand-in hash, no free text."""
    new = {"client_hash": stand_in, "void_reason": REMOVED if row.void_reason else None}
    return new | {name: None for name in kind.texts}


def batches(stmt) -> Iterator[list]:
    """`stmt`'s rows a batch at a time, by id (stable while rows are updated)."""
    last = 0
    while True:
        rows = db.session.execute(stmt.where(stmt.selected_columns.id > last).limit(BATCH)).all()
        if not rows:
            return
        yield rows
        last = rows[-1].id


def rewrite(kind: Kind, rows, change: Callable[[Kind, object], dict | None]) -> int:
    """Apply `change` to each row; return how many rows changed."""
    params = []
    for row in rows:
        new = change(kind, row)
        if new is not None:
            params.append({"_id": row.id, **new})
    if params:
        keys = [k for k in params[0] if k != "_id"]
        stmt = (
            update(kind.table)
            .where(kind.table.c.id == bindparam("_id"))
            .values({k: bindparam(k) for k in keys})
        )
        db.session.execute(stmt, params)
    return len(params)


def field_rows(kind: Kind, *where):
    return select(*_columns(kind)).where(*where).order_by(kind.table.c.id)

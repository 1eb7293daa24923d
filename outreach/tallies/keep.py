"""Keeping the monthly tallies (models.py) equal to the records, on every write.

The one listener pair of the session's flush: before a flush, the rows about to change are read
as the database holds them; after it, the same rows (and any whose new-person mark the flush
changed: outreach/handouts/firsts.py, run here first) are read again, and each tally cell gets
the difference, added in place (`records = records + n`), so two transactions writing the same
cell at once both count on either database. A change of an organisation's zone moves its
records between local months: its tallies are counted again. `refresh` counts tallies from the
records (the seeds' bulk loads, which no listener sees, and the check in the tests).

Writes that bypass the session (Core UPDATEs) must keep the tallies themselves; retention's
only change the codes, which no tally holds."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, event, inspect, select
from sqlalchemy.orm import Session

from outreach.extensions import upsert_insert
from outreach.handouts import firsts
from outreach.handouts.models import Handout
from outreach.orgs.models import Organisation
from outreach.overdoses.models import OverdoseReport
from outreach.tallies.models import OverdoseMonth, SupplyKitMonth, SupplyMonth
from outreach.timezones import zone


@dataclass(frozen=True)
class Spec:
    """A tally: the records it counts, the table it is kept in and the coded columns it keeps
    (area first); `kits` sums the records' quantity as well as counting them."""

    source: type
    tally: type
    columns: tuple[str, ...]
    kits: bool


SPECS = (
    Spec(Handout, SupplyKitMonth, ("area_id", "site_id", "setting", "product_id"), True),
    Spec(
        Handout,
        SupplyMonth,
        ("area_id", "kind", "supply", "recipient_type", "repeat_reason", "new_person"),
        True,
    ),
    Spec(
        OverdoseReport,
        OverdoseMonth,
        (
            "area_id",
            "place_type",
            "emergency_called",
            "someone_stayed",
            "referred",
            "taken_to_hospital",
            "outcome",
            "route",
            "age_band",
            "sex",
        ),
        False,
    ),
)
SOURCES = (Handout, OverdoseReport)
TABLES = tuple(spec.tally.__table__ for spec in SPECS)
_OLD = "outreach.tallies.old"
_CHUNK = 500

Cells = dict[tuple, list[int]]  # (org_id, month, values) -> [records, kits]


def local_month(moment: datetime, timezone: str) -> int:
    """The month (YYYYMM) of `moment` on its organisation's wall clock."""
    local = moment.astimezone(zone(timezone))
    return local.year * 100 + local.month


def _columns(model: type) -> list[str]:
    names = {"id", "org_id", "occurred_at", "voided_at"}
    for spec in SPECS:
        if spec.source is model:
            names.update(spec.columns)
            if spec.kits:
                names.add("quantity")
    return sorted(names)


def _select(model: type):
    t, o = model.__table__, Organisation.__table__
    columns = [t.c[name] for name in _columns(model)]
    return select(o.c.timezone, *columns).join(o, o.c.id == t.c.org_id)


def read(connection, model: type, ids: Iterable[int]) -> dict[int, dict]:
    """The rows `ids` of `model`'s table as the database holds them now (with their zone)."""
    ids = sorted(set(ids))
    rows: dict[int, dict] = {}
    for start in range(0, len(ids), _CHUNK):
        stmt = _select(model).where(model.__table__.c.id.in_(ids[start : start + _CHUNK]))
        rows.update((row["id"], dict(row)) for row in connection.execute(stmt).mappings())
    return rows


def cells(spec: Spec, rows: Iterable[dict], into: Cells | None = None, sign: int = 1) -> Cells:
    """Add (or with sign -1 take away) what live `rows` count in `spec`'s tally."""
    into = defaultdict(lambda: [0, 0]) if into is None else into
    for row in rows:
        if row["voided_at"] is not None:
            continue
        month = local_month(row["occurred_at"], row["timezone"])
        cell = into[(row["org_id"], month, tuple(row[name] for name in spec.columns))]
        cell[0] += sign
        if spec.kits:
            cell[1] += sign * int(row["quantity"] or 0)
    return into


def add(connection, spec: Spec, counted: Cells) -> None:
    """Add each cell's counts to its row of the tally (made when missing), in place."""
    t = spec.tally.__table__
    rows = []
    for (org_id, month, values), (records, kits) in sorted(counted.items(), key=repr):
        if records == 0 and kits == 0:
            continue
        row = {"org_id": org_id, "month": month, "key": json.dumps(values), "records": records}
        row.update(zip(spec.columns, values, strict=True))
        if spec.kits:
            row["kits"] = kits
        rows.append(row)
    if not rows:
        return
    stmt = upsert_insert(t)
    grown = {"records": t.c.records + stmt.excluded.records}
    if spec.kits:
        grown["kits"] = t.c.kits + stmt.excluded.kits
    stmt = stmt.on_conflict_do_update(index_elements=["org_id", "month", "key"], set_=grown)
    for start in range(0, len(rows), _CHUNK):
        connection.execute(stmt, rows[start : start + _CHUNK])


def refresh(connection, org_ids: Iterable[int] | None = None) -> None:
    """Count every tally again from the records (of the organisations `org_ids`; None: all)."""
    org_ids = None if org_ids is None else sorted(set(org_ids))
    for spec in SPECS:
        t = spec.tally.__table__
        gone = delete(t)
        if org_ids is not None:
            gone = gone.where(t.c.org_id.in_(org_ids))
        connection.execute(gone)
        stmt = _select(spec.source)
        if org_ids is not None:
            stmt = stmt.where(spec.source.__table__.c.org_id.in_(org_ids))
        counted: Cells = defaultdict(lambda: [0, 0])
        result = connection.execute(stmt.execution_options(yield_per=20_000))
        for part in result.mappings().partitions():
            cells(spec, part, counted)
        add(connection, spec, counted)


def _touched(session: Session, objects) -> dict[type, set[int]]:
    ids: dict[type, set[int]] = defaultdict(set)
    for obj in objects:
        if isinstance(obj, SOURCES) and obj.id is not None:
            ids[type(obj)].add(obj.id)
    return ids


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context, _instances) -> None:
    """Read the rows this flush changes as they are before it."""
    changing = [o for o in session.dirty if session.is_modified(o)] + list(session.deleted)
    ids = _touched(session, changing)
    connection = session.connection() if ids else None
    session.info[_OLD] = {model: read(connection, model, i) for model, i in ids.items()}


@event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    """Mark new people again, then add to each tally what the flush changed."""
    had = firsts.keep(session)
    before = session.info.pop(_OLD, {})
    new_ids = _touched(session, session.new)
    ids = _touched(session, [*session.new, *session.deleted])
    for model, rows in before.items():  # the rows changed, read before the flush
        ids[model].update(rows)
    ids[Handout].update(had)
    zones_moved = [
        o.id
        for o in session.dirty
        if isinstance(o, Organisation) and inspect(o).attrs.timezone.history.has_changes()
    ]
    if not (any(ids.values()) or zones_moved):
        return
    connection = session.connection()
    for model, touched in ids.items():
        if not touched:
            continue
        after = read(connection, model, touched)
        old = dict(before.get(model, {}))
        if model is Handout:  # rows whose only change was their mark, made after the flush
            for row_id, mark in had.items():
                if row_id not in old and row_id not in new_ids[model] and row_id in after:
                    old[row_id] = {**after[row_id], "new_person": mark}
        for spec in SPECS:
            if spec.source is model:
                counted = cells(spec, after.values())
                add(connection, spec, cells(spec, old.values(), counted, sign=-1))
    if zones_moved:
        refresh(connection, zones_moved)

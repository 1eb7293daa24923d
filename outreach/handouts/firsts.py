"""Who is a new person: the one rule that marks each client code's first supply in the programme.

A handout's `new_person` is True on the earliest live supply of its client code across every
organisation of the deployment, False on the code's other supplies and None without a code.
It is kept on every write that can change the answer (a supply recorded, sent late from a
tablet with an earlier time, corrected, voided, its code removed), on every flush of the
session (the listener is outreach/tallies/keep.py's), so no write path can forget it;
`refresh_all` sets it for a whole table (the seed, the migration). Because it is stored, the
new people of a past period survive retention, which removes the codes but keeps this flag
(outreach/retention).

Two transactions recording the same code at once are serialised on PostgreSQL by an advisory
lock per code taken before the code's supplies are looked at; SQLite has one writer at a time.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, exists, func, inspect, or_, select, update
from sqlalchemy.orm import Session

from outreach.handouts.models import Handout

_WATCHED = ("client_hash", "occurred_at", "voided_at", "kind")


def _is_first():
    """True on a handouts row that is the earliest live supply of its code."""
    h = Handout.__table__
    e = h.alias("earlier")
    earlier = exists().where(
        e.c.client_hash == h.c.client_hash,
        e.c.voided_at.is_(None),
        or_(
            e.c.occurred_at < h.c.occurred_at,
            and_(e.c.occurred_at == h.c.occurred_at, e.c.id < h.c.id),
        ),
    )
    return and_(h.c.client_hash.is_not(None), h.c.voided_at.is_(None), ~earlier)


def _first_ids(hashes: list[str] | None):
    """The id of the earliest live supply of each code (of `hashes`; None: every code)."""
    h = Handout.__table__
    stmt = select(h.c.id).where(_is_first())
    if hashes is not None:
        stmt = stmt.where(h.c.client_hash.in_(hashes))
    return stmt


# Each write below touches only the rows whose mark changes: a row written is a row whose
# every index is written again and whose updated_at moves (which the API's updated_since
# reads), so a mark that stays the same is left alone.


def refresh(connection, hashes: Iterable[str], ids: Iterable[int] = ()) -> dict[int, bool | None]:
    """Mark again the supplies of the codes `hashes`; rows `ids` that lost their code get None.
    Returns the rows whose mark changed, each with the mark it had (outreach/tallies counts new
    people by it)."""
    h = Handout.__table__
    codes = sorted({c for c in hashes if c})
    if connection.dialect.name == "postgresql":
        for code in codes:  # in order, so two writers never wait on each other in a circle
            connection.execute(select(func.pg_advisory_xact_lock(func.hashtextextended(code, 0))))
    had: dict[int, bool | None] = {}
    now: dict[int, bool | None] = {}
    for start in range(0, len(codes), 500):
        chunk = codes[start : start + 500]
        firsts = set(connection.scalars(_first_ids(chunk)))
        marks = select(h.c.id, h.c.new_person).where(h.c.client_hash.in_(chunk))
        for row_id, mark in connection.execute(marks):
            if mark is not (row_id in firsts):
                had[row_id], now[row_id] = mark, row_id in firsts
    ids = sorted(set(ids))
    for start in range(0, len(ids), 500):
        lost = select(h.c.id, h.c.new_person).where(
            h.c.id.in_(ids[start : start + 500]),
            h.c.client_hash.is_(None),
            h.c.new_person.is_not(None),
        )
        for row_id, mark in connection.execute(lost):
            had[row_id], now[row_id] = mark, None
    for mark in (True, False, None):
        chosen = sorted(i for i, m in now.items() if m is mark)
        for start in range(0, len(chosen), 500):
            connection.execute(
                update(h).where(h.c.id.in_(chosen[start : start + 500])).values(new_person=mark)
            )
    return had


def refresh_all(connection) -> None:
    """Mark every supply (after a bulk load, or once when the column is added)."""
    h = Handout.__table__
    first = _is_first()
    for where, mark in (
        (h.c.client_hash.is_(None), None),
        (first, True),
        (and_(h.c.client_hash.is_not(None), ~first), False),
    ):
        connection.execute(
            update(h).where(where, h.c.new_person.is_distinct_from(mark)).values(new_person=mark)
        )


def _changed(session: Session) -> tuple[set[str], set[int]]:
    """The codes whose supplies this flush adds or changes, and the rows concerned."""
    codes: set[str] = set()
    ids: set[int] = set()
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if not isinstance(obj, Handout):
            continue
        state = inspect(obj)
        if obj in session.dirty and not any(
            state.attrs[name].history.has_changes() for name in _WATCHED
        ):
            continue
        history = state.attrs.client_hash.history
        codes.update(c for c in (*history.added, *history.deleted, *history.unchanged) if c)
        if obj.id is not None:
            ids.add(obj.id)
    return codes, ids


def keep(session: Session) -> dict[int, bool | None]:
    """Mark again the codes a flush touched (called on every flush by outreach/tallies/keep.py,
    before the tallies, which count new people by the marks). Returns the rows whose mark
    changed, with the mark each had."""
    codes, ids = _changed(session)
    if not (codes or ids):
        return {}
    return refresh(session.connection(), codes, ids)

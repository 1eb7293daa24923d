"""The audit trail's hash chain: every new event is sealed as it is flushed, and `verify` walks
the chain to find the first edited, removed or forged event.

Each event gets the next position (`seq`), the previous event's hash (`prev_hash`) and its own
`row_hash` = HMAC-SHA256(AUDIT_KEY, or SECRET_KEY without one, prev_hash + its fields). Sealing
first updates the one row of `audit_chain_head`, which takes its write lock (PostgreSQL's row
lock, SQLite's database write lock) until the transaction ends: two workers appending at once
queue there, and the chain never forks. On PostgreSQL a trigger also refuses UPDATE and DELETE
on audit_events (migration 0014); the chain is what catches a change on SQLite, or by anyone
who can drop that trigger.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import event, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from outreach.audit.models import AuditChainHead, AuditEvent
from outreach.models.base import utcnow

HEAD = AuditChainHead.__table__
BATCH = 1000


def _key() -> bytes:
    cfg = current_app.config
    return str(cfg.get("AUDIT_KEY") or cfg["SECRET_KEY"]).encode("utf-8")


def fields(e: AuditEvent) -> str:
    """The sealed fields of an event, as one canonical string."""
    at = e.at.astimezone(UTC).isoformat(timespec="microseconds") if e.at else None
    values = [
        e.seq,
        at,
        e.user_id,
        e.org_id,
        e.action,
        e.record_type,
        e.record_id,
        e.detail,
        e.remote_addr,
    ]
    return json.dumps(values, ensure_ascii=False, separators=(",", ":"))


def seal_hash(key: bytes, prev_hash: str, e: AuditEvent) -> str:
    message = (prev_hash + "\n" + fields(e)).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _lock_head(connection) -> tuple[int, str]:
    """Take the head row's write lock (making the row if it is missing); its seq and hash."""
    touch = update(HEAD).where(HEAD.c.id == 1).values(seq=HEAD.c.seq)
    if connection.execute(touch).rowcount == 0:
        dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
        if connection.dialect.name in ("postgresql", "sqlite"):
            make = dialect.insert(HEAD).values(id=1, seq=0, last_hash="").on_conflict_do_nothing()
        else:  # pragma: no cover - the app runs on these two only
            make = insert(HEAD).values(id=1, seq=0, last_hash="")
        connection.execute(make)
        connection.execute(touch)
    seq, last = connection.execute(select(HEAD.c.seq, HEAD.c.last_hash).where(HEAD.c.id == 1)).one()
    return int(seq), last


def _seal_new_events(session: Session, _context, _instances) -> None:
    new = [o for o in session.new if isinstance(o, AuditEvent) and o.row_hash is None]
    if not new:
        return
    new.sort(key=lambda o: getattr(o._sa_instance_state, "insert_order", 0) or 0)
    connection = session.connection()
    seq, last = _lock_head(connection)
    key = _key()
    for e in new:
        seq += 1
        e.at = e.at or utcnow()
        e.seq, e.prev_hash = seq, last
        e.row_hash = last = seal_hash(key, last, e)
    connection.execute(update(HEAD).where(HEAD.c.id == 1).values(seq=seq, last_hash=last))


event.listen(Session, "before_flush", _seal_new_events)

COLUMNS = ("at", "user_id", "org_id", "action", "record_type", "record_id", "detail", "remote_addr")


def seal_rows(session: Session, rows: list[dict]) -> None:
    """Seal rows about to be written by one bulk INSERT (which skips the flush): each dict
    gets its position, link and hash, in list order."""
    session.flush()  # events already added take their places first
    connection = session.connection()
    seq, last = _lock_head(connection)
    key = _key()
    for row in rows:
        seq += 1
        row["at"] = row.get("at") or utcnow()
        row["seq"], row["prev_hash"] = seq, last
        event_of = SimpleNamespace(**(dict.fromkeys(COLUMNS) | row))
        row["row_hash"] = last = seal_hash(key, last, event_of)
    connection.execute(update(HEAD).where(HEAD.c.id == 1).values(seq=seq, last_hash=last))


@dataclass
class Verdict:
    ok: bool
    events: int  # sealed events checked
    unsealed: int = 0  # events older than the chain
    broken_at: int | None = None  # the id (or seq) of the first event that does not fit
    reason: str = ""


def _walk(events, key: bytes) -> tuple[Verdict | None, int, str, int | None]:
    """Follow the links: a broken verdict, or None; the events checked, last hash, first id."""
    expected_seq, last, count, first_id = 1, "", 0, None
    for e in events:
        first_id = e.id if first_id is None else first_id
        if e.seq != expected_seq:
            reason = f"event {expected_seq} is missing"
            return Verdict(False, count, broken_at=e.id, reason=reason), count, last, first_id
        if e.prev_hash != last or e.row_hash != seal_hash(key, last, e):
            reason = f"event {e.id} was changed"
            return Verdict(False, count, broken_at=e.id, reason=reason), count, last, first_id
        last, expected_seq, count = e.row_hash, expected_seq + 1, count + 1
    return None, count, last, first_id


def verify(session: Session) -> Verdict:
    """Walk the chain from the first event: the first gap, wrong link or wrong hash, or an
    event added outside it, breaks it; so does a head that the last event does not match."""
    stmt = select(AuditEvent).where(AuditEvent.seq.is_not(None)).order_by(AuditEvent.seq)
    events = session.scalars(stmt.execution_options(yield_per=BATCH))
    try:
        broken, count, last, first_id = _walk(events, _key())
    finally:
        events.close()
    if broken is not None:
        return broken
    head = session.execute(select(HEAD.c.seq, HEAD.c.last_hash).where(HEAD.c.id == 1)).first()
    at_head = (head.seq, head.last_hash) if head is not None else (0, "")
    if at_head != (count, last):
        return Verdict(False, count, reason=f"events after {count} were removed")
    unsealed = select(AuditEvent.id).where(AuditEvent.seq.is_(None))
    late = session.scalar(unsealed.where(AuditEvent.id > first_id)) if first_id else None
    if late is not None:
        return Verdict(False, count, broken_at=late, reason=f"event {late} is outside the chain")
    older = session.scalar(select(func.count()).select_from(unsealed.subquery()))
    return Verdict(True, count, unsealed=older)

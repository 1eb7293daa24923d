"""Storing one device-made record exactly once: receipts, savepoints and the unique client_id."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from pydantic import BaseModel
from sqlalchemy import insert, select, union_all
from sqlalchemy.exc import DataError, IntegrityError

from outreach.access import can
from outreach.api.models import ApiReceipt
from outreach.api.responses import to_json
from outreach.api.writers import WRITERS, Forbidden
from outreach.audit.services import record_many
from outreach.auth.models import User
from outreach.clientcode import receipt_mac
from outreach.contacts.models import OutreachContact
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.models.base import utcnow
from outreach.overdoses.models import OverdoseReport
from outreach.trainings.models import TrainingSession

MODELS = {
    "handout": Handout,
    "tally": Handout,
    "contact": OutreachContact,
    "overdose_report": OverdoseReport,
    "training_attendance": TrainingSession,
}
AUDIT_TYPES = {
    "handout": "handout",
    "tally": "handout",
    "contact": "contact",
    "overdose_report": "overdose_report",
    "training_attendance": "training_session",
}


@dataclass
class Outcome:
    status: str  # stored, already_stored, refused
    http_status: int
    kind: str
    record: Any = None
    errors: list[dict] = field(default_factory=list)
    title: str = ""

    def json(self) -> dict | None:
        return to_json(self.kind, self.record) if self.record is not None else None


def refused(kind: str, status: int, title: str, errors: list[dict]) -> Outcome:
    return Outcome("refused", status, kind, errors=errors, title=title)


def payload_text(kind: str, data: BaseModel) -> str:
    """What was sent, after validation (defaults filled in, times in UTC), in one spelling."""
    body = data.model_dump(mode="json", exclude={"client_id"})
    if getattr(data, "occurred_at", None) is not None:
        body["occurred_at"] = data.occurred_at.astimezone(UTC).isoformat()
    return json.dumps([kind, body], sort_keys=True, separators=(",", ":"))


def payload_mac(kind: str, data: BaseModel) -> str:
    """What a receipt keeps of what was sent: a keyed hash, since the payload may hold a client
    code digest and a plain hash of it would let a birth date be found by trying them all."""
    return receipt_mac(payload_text(kind, data), current_app.config["CLIENT_CODE_KEY"])


def _conflict(kind: str) -> Outcome:
    return refused(
        kind,
        409,
        "Conflict",
        [{"field": "client_id", "reason": _("This id was already used for a different record.")}],
    )


def _receipt(client_id: str) -> ApiReceipt | None:
    stmt = select(ApiReceipt).where(ApiReceipt.client_id == client_id)
    return db.session.scalar(stmt.execution_options(populate_existing=True))


def replay(kind: str, client_id: str, digest: str, user: User) -> Outcome | None:
    """The answer for a client_id already stored, or None when it is new."""
    receipt = _receipt(client_id)
    if receipt is None:
        model = MODELS[kind]
        row = db.session.scalar(select(model).where(model.client_id == client_id))
        if row is None:
            return None
        # The record may have been committed (with its receipt) between the two reads.
        receipt = _receipt(client_id)
        if receipt is None:
            return answer_page_record(kind, row, user)
    return answer_receipt(kind, receipt, digest, user)


def answer_page_record(kind: str, row: Any, user: User) -> Outcome:
    """A record stored through its page (no receipt), sent again through the API: the form's
    post reached the server but its answer was lost, and the tablet kept the same record to sync.

    The page kept no payload to compare, so the record must be the same one as far as it can
    tell: the same organisation, the same person recording it, the same kind. Anything else is
    the id reused for something else (409)."""
    same_kind = not isinstance(row, Handout) or row.kind == (
        "tally" if kind == "tally" else "single"
    )
    if (row.org_id, row.recorded_by_id) != (user.org_id, user.id) or not same_kind:
        return _conflict(kind)
    return Outcome("already_stored", 200, kind, row)


def answer_receipt(kind: str, receipt: ApiReceipt, digest: str, user: User) -> Outcome:
    """The same record sent again (200), or the id reused for something else (409)."""
    if (receipt.org_id, receipt.kind, receipt.payload_mac) != (user.org_id, kind, digest):
        return _conflict(kind)
    record = db.session.get(MODELS[kind], receipt.record_id)
    return Outcome("already_stored", 200, kind, record)


def role_refusal(kind: str, user: User) -> Outcome | None:
    needed = "record_training" if kind == "training_attendance" else "record_field_work"
    if can(user, needed):
        return None
    return refused(
        kind, 403, "Forbidden", [{"field": "kind", "reason": _("Your role may not do this.")}]
    )


def race_pause() -> None:
    if pause := current_app.config.get("API_TEST_RACE_PAUSE"):
        time.sleep(pause)  # tests only: widen the window between the check and the insert


def receipt_row(kind: str, client_id: str, user: User, digest: str, record_id: int) -> dict:
    return {
        "client_id": client_id,
        "kind": kind,
        "org_id": user.org_id,
        "payload_mac": digest,
        "record_id": record_id,
        "created_at": utcnow(),
    }


def write(
    kind: str, client_id: str, data: BaseModel, user: User, notify: bool = True, flush: bool = True
) -> Any:
    """Call the domain service. The caller has looked the client_id up (a receipt, or the
    record table), so the service does not look again: a late duplicate fails on the unique
    client_id instead. `flush=False`: the caller flushes before it reads the record's id."""
    return WRITERS[kind](data, user, client_id, fresh=True, notify=notify, flush=flush)


def store(
    kind: str,
    client_id: str,
    data: BaseModel,
    user: User,
    fresh: bool = False,
    notify: bool = True,
) -> Outcome:
    """Store one record in its own savepoint; never raises for bad input (flushed only).

    `fresh`: the caller already knows no receipt or record holds this client_id.
    `notify=False`: an overdose report's signal is left to the caller (a batch sends it)."""
    client_id = client_id.lower()
    if (refusal := role_refusal(kind, user)) is not None:
        return refusal
    digest = payload_mac(kind, data)
    if not fresh and (answer := replay(kind, client_id, digest, user)) is not None:
        return answer
    race_pause()
    try:
        with db.session.begin_nested():
            record = write(kind, client_id, data, user, notify)
            row = receipt_row(kind, client_id, user, digest, record.id)
            db.session.execute(insert(ApiReceipt).values(**row))
    except Forbidden as exc:
        return refused(kind, 403, "Forbidden", [{"field": exc.field, "reason": exc.reason}])
    except DomainError as exc:
        reason = [{"field": exc.field or "data", "reason": str(exc.message)}]
        return refused(kind, 422, "Unprocessable Content", reason)
    except IntegrityError:
        # Another request stored this client_id between our check and our insert.
        if (answer := replay(kind, client_id, digest, user)) is not None:
            stats = current_app.extensions.setdefault("outreach_api", {"race_replays": 0})
            stats["race_replays"] += 1
            return answer
        reason = [{"field": "data", "reason": _("The record could not be stored as sent.")}]
        return refused(kind, 422, "Unprocessable Content", reason)
    except DataError:
        reason = [{"field": "data", "reason": _("A value is out of range.")}]
        return refused(kind, 422, "Unprocessable Content", reason)
    return Outcome("stored", 201, kind, record)


def known_ids(client_ids: list[str]) -> set[str]:
    """The client_ids among these that a receipt or a record already holds (one query)."""
    ids = list({c.lower() for c in client_ids})
    if not ids:
        return set()
    tables = [ApiReceipt, *{id(m): m for m in MODELS.values()}.values()]
    stmt = union_all(*(select(t.client_id).where(t.client_id.in_(ids)) for t in tables))
    return set(db.session.scalars(stmt))


def audit_created(outcomes: list[Outcome], user: User, remote_addr: str | None) -> None:
    """One audit event per stored record, written in one statement."""
    rows = [
        {
            "at": utcnow(),
            "user_id": user.id,
            "org_id": user.org_id,
            "action": "create",
            "record_type": AUDIT_TYPES[o.kind],
            "record_id": o.record.id,
            "detail": "api",
            "remote_addr": remote_addr,
        }
        for o in outcomes
        if o.status == "stored"
    ]
    record_many(rows)  # sealed into the audit chain


def begin_write() -> None:
    """On SQLite, take the write lock first (BEGIN IMMEDIATE): a read-then-write transaction
    could otherwise deadlock with another writer and fail as "database is locked"."""
    conn = db.session.connection()
    if conn.dialect.name != "sqlite":
        return
    raw = conn.connection.driver_connection
    if not raw.in_transaction:
        raw.execute("BEGIN IMMEDIATE")

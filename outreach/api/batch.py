"""Storing a sync batch cheaply: groups of new records under one savepoint, one signal a batch."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pydantic import BaseModel
from sqlalchemy import insert, select
from sqlalchemy.exc import DBAPIError

from outreach.api.models import ApiReceipt
from outreach.api.records import (
    MODELS,
    Outcome,
    answer_receipt,
    payload_mac,
    race_pause,
    receipt_row,
    role_refusal,
    store,
    write,
)
from outreach.auth.models import User
from outreach.extensions import db
from outreach.orgs.models import Site
from outreach.overdoses.services import overdose_recorded
from outreach.products.models import Product
from outreach.trainings.services import forget_current, remembering_current

GROUP = 50  # records written under one savepoint; a failure redoes only its group


@dataclass
class Item:
    kind: str
    client_id: str  # lower case
    data: BaseModel
    fresh: bool  # no receipt or record holds client_id (checked for the whole batch)


def preload(items: list[Item]) -> list:
    """Load the products, sites and users the batch names in three queries. The session's
    identity map holds rows only while something refers to them: the caller keeps this list
    for the request, so each record's `session.get` is answered without a query."""
    wanted: dict[type, set[int]] = defaultdict(set)
    for item in items:
        data = item.data
        for name, model in (
            ("product_id", Product),
            ("site_id", Site),
            ("giver_id", User),
            ("trainer_id", User),
        ):
            if (value := getattr(data, name, None)) is not None:
                wanted[model].add(value)
        wanted[User].update(getattr(data, "attendee_ids", ()))
    rows: list = []
    for model, ids in wanted.items():
        if ids:
            rows += db.session.scalars(select(model).where(model.id.in_(ids))).all()
    return rows


class _Redo(Exception):
    """A record of the group failed: the group is rolled back and stored record by record."""


def prefetch_receipts(items: list[Item]) -> tuple[dict[str, ApiReceipt], list]:
    """The receipts of the batch's known client_ids and their records, in a few queries
    (the records are returned to be held, as in preload)."""
    ids = [i.client_id for i in items if not i.fresh]
    if not ids:
        return {}, []
    stmt = select(ApiReceipt).where(ApiReceipt.client_id.in_(ids))
    receipts = {r.client_id: r for r in db.session.scalars(stmt)}
    wanted: dict[type, set[int]] = defaultdict(set)
    for r in receipts.values():
        if r.kind in MODELS:
            wanted[MODELS[r.kind]].add(r.record_id)
    rows: list = []
    for model, record_ids in wanted.items():
        rows += db.session.scalars(select(model).where(model.id.in_(record_ids))).all()
    return receipts, rows


def _known(item: Item, user: User, receipts: dict[str, ApiReceipt]) -> Outcome:
    """A client_id seen before: answered from its receipt, else as `store` does alone."""
    receipt = receipts.get(item.client_id)
    if receipt is None:  # stored through a page, or earlier in this batch
        return store(item.kind, item.client_id, item.data, user, False, False)
    if (refusal := role_refusal(item.kind, user)) is not None:
        return refusal
    return answer_receipt(item.kind, receipt, payload_mac(item.kind, item.data), user)


def _write_receipts(written: list[tuple[Item, str, object]], user: User) -> None:
    """Flush the records written (one INSERT … RETURNING per table on PostgreSQL and SQLite),
    then insert their receipts in one statement; `written` is emptied."""
    if not written:
        return
    db.session.flush()
    rows = [receipt_row(i.kind, i.client_id, user, d, r.id) for i, d, r in written]
    db.session.execute(insert(ApiReceipt), rows)
    written.clear()


def _group_at_once(group: list[Item], user: User, receipts: dict) -> list[Outcome]:
    """Every record of the group under one savepoint and one flush; raises _Redo when any
    record fails (the savepoint is then rolled back)."""
    outcomes: list[Outcome] = []
    written: list[tuple[Item, str, object]] = []
    try:
        with db.session.begin_nested():
            for item in group:
                if not item.fresh:
                    # The records written so far get their receipts first: a copy of one of them
                    # is then answered from its receipt (the same payload, or 409), never taken
                    # for a record stored through a page. The flush also keeps a failure of the
                    # group from being taken for this record's.
                    _write_receipts(written, user)
                    db.session.flush()
                    outcomes.append(_known(item, user, receipts))
                    continue
                if (refusal := role_refusal(item.kind, user)) is not None:
                    outcomes.append(refusal)
                    continue
                digest = payload_mac(item.kind, item.data)
                race_pause()
                record = write(item.kind, item.client_id, item.data, user, False, False)
                written.append((item, digest, record))
                outcomes.append(Outcome("stored", 201, item.kind, record))
            _write_receipts(written, user)
    except DBAPIError as exc:
        if exc.connection_invalidated:
            raise  # the connection is gone, and the transaction with it: nothing to redo
        raise _Redo from exc
    except Exception as exc:  # any refusal or constraint: the savepoint is already rolled back
        raise _Redo from exc
    return outcomes


def _group(group: list[Item], user: User, receipts: dict) -> list[Outcome]:
    try:
        return _group_at_once(group, user, receipts)
    except _Redo:
        forget_current()  # a training session of the group may be gone
        return [store(i.kind, i.client_id, i.data, user, i.fresh, False) for i in group]


def notify_overdoses(outcomes: list[Outcome]) -> None:
    """Send `overdose_recorded` once per organisation for the batch, with its newest report.

    The receiver (the spike check) recounts every report of the organisation and its partners,
    so one check after the batch raises the same alerts as one check after each report."""
    newest: dict[int, object] = {}
    for o in outcomes:
        if o.status == "stored" and o.kind == "overdose_report":
            report = o.record
            held = newest.get(report.org_id)
            if held is None or report.occurred_at > held.occurred_at:
                newest[report.org_id] = report
    for report in newest.values():
        overdose_recorded.send(report)


def store_all(items: list[Item], user: User) -> list[Outcome]:
    """Store a validated batch in order; one outcome per item, as `store` would answer."""
    pinned = preload(items)  # held for the request, see preload
    receipts, records = prefetch_receipts(items)
    pinned += records
    outcomes: list[Outcome] = []
    with remembering_current():
        for start in range(0, len(items), GROUP):
            outcomes += _group(items[start : start + GROUP], user, receipts)
    notify_overdoses(outcomes)
    return outcomes

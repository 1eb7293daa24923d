"""Nothing stored that derives from a client code lets a birth date be found without the key:
tried as someone holding a copy of the database would, against API receipts, the handout's
client hash and the audit log; and migration 0013 keys the receipts stored before."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import select, text

from outreach.api.models import ApiReceipt
from outreach.api.records import payload_text
from outreach.api.schemas import DATA
from outreach.audit.models import AuditEvent
from outreach.clientcode import code_digest, keyed_hash, receipt_mac
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.models.base import utcnow
from tests.api.conftest import Api, bodies, new_id, token_for
from tests.test_migrations import app_on, new_database  # noqa: F401 - a fixture

BORN = date(1990, 7, 14)


def _days(year: int):
    day = date(year, 1, 1)
    while day.year == year:
        yield day
        day += timedelta(days=1)


def _sha(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def test_a_birth_date_is_found_in_nothing_stored_without_the_key_and_only_with_it(
    client, auth, world
):
    """The attacker's best case: they know the initials, the sex, the year of birth and every
    other field of the record; only the day is unknown (365 guesses)."""
    body = {
        **bodies(world)["handout"],
        "occurred_at": (utcnow() - timedelta(minutes=30)).isoformat(),
        "client_code_digest": code_digest("JS", BORN, "M"),
    }
    api = Api(client, token_for(client, world.peer))
    assert api.post("/handouts", {"client_id": new_id(), **body}).status_code == 201
    auth.login(world.peer)  # a look-up too, so the audit log holds one
    client.post("/handouts/code-history", data={"digest": body["client_code_digest"]})
    receipt = db.session.scalar(select(ApiReceipt.payload_mac))
    stored = db.session.scalar(select(Handout.client_hash))
    logged = " ".join(filter(None, db.session.scalars(select(AuditEvent.detail))))
    key = current_app.config["CLIENT_CODE_KEY"]

    def sent(digest: str) -> str:  # the payload as the server spells it, for a guessed code
        return payload_text(
            "handout", DATA["handout"].model_validate({**body, **{"client_code_digest": digest}})
        )

    guesses = [(day, code_digest("JS", day, "M")) for day in _days(1990)]
    unkeyed = [
        day
        for day, digest in guesses
        if receipt in (_sha(sent(digest)), _sha(digest))
        or stored in (digest, _sha(digest))
        or digest in logged
    ]
    keyed = [
        day
        for day, digest in guesses
        if receipt_mac(sent(digest), key) == receipt and keyed_hash(digest, key) == stored
    ]
    assert unkeyed == []
    assert keyed == [BORN]


def test_migration_0013_keys_the_receipts_stored_before_so_replays_still_match(new_database):  # noqa: F811
    url = new_database("receipts")
    payload = '["handout",{"client_code_digest":"ab"}]'
    with app_on(url) as app:
        upgrade(directory=app.extensions["migrate"].directory, revision="0011")
        # Raw SQL: the model may hold columns later revisions add.
        org_id = db.session.execute(
            text(
                "INSERT INTO organisations (name, area, active, tracks_stock, timezone,"
                " correction_days, created_at, updated_at) VALUES ('Harbour Outreach',"
                " 'Swansea Bay', true, true, 'Europe/London', 7, '2026-11-18 10:00:00',"
                " '2026-11-18 10:00:00') RETURNING id"
            )
        ).scalar_one()
        db.session.execute(
            text(
                "INSERT INTO api_receipts (client_id, kind, org_id, payload_sha256, record_id,"
                " created_at) VALUES ('c1', 'handout', :org, :sha, 7, '2026-11-18 10:00:00')"
            ),
            {"org": org_id, "sha": _sha(payload)},
        )
        db.session.commit()
        db.session.remove()
        upgrade(directory=app.extensions["migrate"].directory, revision="0013")
        row = db.session.execute(text("SELECT payload_mac FROM api_receipts")).one()
        db.session.remove()  # its connection closed before the engine is disposed
        assert row.payload_mac == receipt_mac(payload, "y")  # app_on's CLIENT_CODE_KEY
        assert row.payload_mac != _sha(payload)

"""Helpers for the offline tests: a tablet ready offline, its outbox, what the server has."""

from __future__ import annotations

from sqlalchemy import select

from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout

OUTBOX_ROWS = "() => window.OutreachOutbox.all()"


def first_page(context):
    return context.pages[0] if context.pages else context.new_page()


def wait_until_ready_offline(page) -> None:
    """The worker controls the page and has stored the peer's pages."""
    page.wait_for_function(
        "() => navigator.serviceWorker.controller !== null"
        " && window.outreachOffline && window.outreachOffline.precached === true",
        timeout=20_000,
    )


def status(page):
    return page.locator("[data-outbox-text]")


def expect_waiting(page, n: int) -> None:
    page.wait_for_function(
        "(n) => document.querySelector('[data-outbox]').dataset.waiting === String(n)", arg=n
    )
    assert status(page).inner_text() == f"{n} waiting to send"


def wait_all_sent(page, timeout: int = 15_000) -> None:
    page.wait_for_function(
        "() => document.querySelector('[data-outbox]').dataset.waiting === '0'", timeout=timeout
    )
    rows = page.evaluate(OUTBOX_ROWS)
    assert rows == [], rows


def put_records(page, user_id: int, records: list[dict]) -> None:
    """Put records straight into the tablet's outbox, as a save with no signal leaves them."""
    page.evaluate(
        """([records, user]) => Promise.all(records.map((r) => window.OutreachOutbox.put(r, user)))
             .then(() => window.outreachOffline.render())""",
        [records, str(user_id)],
    )


def handouts_of(live_server, team) -> list[Handout]:
    with live_server.ctx():
        rows = db.session.scalars(
            select(Handout).where(Handout.giver_id == team.peer_id).order_by(Handout.id)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def contacts_of(live_server, team) -> list[OutreachContact]:
    with live_server.ctx():
        rows = db.session.scalars(
            select(OutreachContact)
            .where(OutreachContact.recorded_by_id == team.peer_id)
            .order_by(OutreachContact.id)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)

"""Helpers for the stock page tests: a form's one-time key, counting movements, a race."""

from __future__ import annotations

import re
import threading
from datetime import date, timedelta

from sqlalchemy import func, select

from outreach.extensions import db
from outreach.stock.models import StockMovement

KEY = re.compile(r'name="(?:r\d+-)?form_key" type="hidden" value="([0-9a-f-]{36})"')
ALREADY = "Already recorded: this form was sent before, so nothing was saved again."


def key_of(body: str) -> str:
    """The one-time key a rendered stock form carries."""
    found = KEY.search(body)
    assert found, "the form carries no one-time key"
    return found.group(1)


def form_key(client, url: str) -> str:
    return key_of(client.get(url).get_data(as_text=True))


def movements(kind: str | None = None) -> int:
    db.session.expire_all()
    stmt = select(func.count()).select_from(StockMovement)
    if kind:
        stmt = stmt.where(StockMovement.kind == kind)
    return db.session.scalar(stmt)


def delivery(world, **extra) -> dict:
    """A receive form's fields: 24 kits of ZX9 into the world's site."""
    return {
        "site_id": world.site.id,
        "product_id": world.product.id,
        "batch_number": "ZX9",
        "expiry_date": (date.today() + timedelta(days=500)).isoformat(),
        "quantity": 24,
        **extra,
    }


def at_once(app, clients: list, post) -> list:
    """`post(client)` from each client in its own thread, released together; the responses.

    `post` must not touch the test's own model objects (their session is the test thread's):
    read every id it needs before."""
    barrier = threading.Barrier(len(clients), timeout=30)
    answers: list = [None] * len(clients)

    def run(i: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                answers[i] = post(clients[i])
            except Exception as exc:  # noqa: BLE001 - shown by the caller's assertion
                answers[i] = exc
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return answers

"""Records saved with no signal wait on the tablet, survive a restart, and are sent once."""

from __future__ import annotations

import hashlib
import re
import uuid
from datetime import date

import pytest
from sqlalchemy import select

from outreach.auth.models import User
from outreach.clientcode import code_digest
from outreach.contacts.models import OutreachContact
from outreach.demographics import age_band
from outreach.extensions import db
from outreach.handouts.models import Handout
from tests.browser.offline import (
    OUTBOX_ROWS,
    expect_waiting,
    first_page,
    handouts_of,
    status,
    wait_all_sent,
    wait_until_ready_offline,
)
from tests.browser.support import CLIENT_CODE_KEY, SWANSEA, log_in
from tests.clock import org_today

pytestmark = pytest.mark.browser


def _save_handout_offline(page, team, quantity: int, waiting_after: int) -> None:
    page.get_by_label("Product").select_option(label=team.product_name)
    page.get_by_label("Number of kits").fill(str(quantity))
    page.get_by_label("First supply").check()
    page.get_by_role("button", name="Save handout").first.click()
    notice = page.get_by_role("status").filter(has_text="Saved on this tablet")
    notice.filter(has_text=f"waiting to send ({waiting_after})").wait_for()
    assert page.get_by_label("Number of kits").input_value() == "1"  # ready for the next one


def _save_contact_offline(page, waiting_after: int) -> None:
    page.get_by_label("Setting").select_option("street")
    page.get_by_label("Number of people", exact=True).fill("2")
    page.get_by_label("Naloxone", exact=True).check()
    page.get_by_role("button", name="Save contact").click()
    page.get_by_role("status").filter(has_text=f"waiting to send ({waiting_after})").wait_for()


def _save_four_offline(context, page, team) -> list[dict]:
    """Go offline and save three handouts and a contact from the cached pages."""
    context.set_offline(True)
    page.goto("/handouts/new")
    for n in (1, 2, 3):
        _save_handout_offline(page, team, quantity=n, waiting_after=n)
    page.goto("/contacts/new")
    _save_contact_offline(page, waiting_after=4)
    expect_waiting(page, 4)
    return page.evaluate(OUTBOX_ROWS)


def _stored(live_server, team, client_ids: list[str]) -> tuple[list, list]:
    with live_server.ctx():
        handouts = db.session.execute(
            select(Handout.client_id, Handout.quantity).where(Handout.giver_id == team.peer_id)
        ).all()
        contacts = db.session.scalars(
            select(OutreachContact.client_id).where(OutreachContact.recorded_by_id == team.peer_id)
        ).all()
    return sorted(handouts, key=lambda h: h.quantity), list(contacts)


def _assert_each_stored_once(live_server, team, rows: list[dict]) -> None:
    handouts, contacts = _stored(live_server, team, [r["client_id"] for r in rows])
    sent_handouts = sorted(
        (r["client_id"], r["data"]["quantity"]) for r in rows if r["kind"] == "handout"
    )
    assert sorted((str(h.client_id).lower(), h.quantity) for h in handouts) == sent_handouts
    assert [str(c).lower() for c in contacts] == [
        r["client_id"] for r in rows if r["kind"] == "contact"
    ]


def _wait_all_sent(page) -> None:
    wait_all_sent(page)
    assert status(page).inner_text() == "All sent"


def test_records_saved_offline_survive_reload_and_browser_restart_and_are_stored_once(
    tablet, live_server, team
):
    context = tablet()
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)

    rows = _save_four_offline(context, page, team)
    assert sorted(r["kind"] for r in rows) == ["contact", "handout", "handout", "handout"]
    assert len({r["client_id"] for r in rows}) == 4
    assert _stored(live_server, team, [])[0] == []  # nothing reached the server

    page.reload()
    expect_waiting(page, 4)
    page.close()
    page = context.new_page()
    page.goto("/")
    expect_waiting(page, 4)

    context.close()  # the whole browser: only the profile folder remains
    context = tablet()
    context.set_offline(True)
    page = first_page(context)
    page.goto("/handouts/new")
    expect_waiting(page, 4)
    assert page.get_by_role("heading", name="New handout").is_visible()

    context.set_offline(False)
    _wait_all_sent(page)
    _assert_each_stored_once(live_server, team, rows)

    assert page.get_by_role("button", name="Send now").count() == 0
    page.reload()  # a replay of nothing: still one row each
    _wait_all_sent(page)
    _assert_each_stored_once(live_server, team, rows)


def test_login_expired_while_offline_keeps_the_records_until_the_peer_logs_in(
    tablet, live_server, team
):
    context = tablet()
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)
    rows = _save_four_offline(context, page, team)

    with live_server.ctx():  # the session ends on the server (as after "log out everywhere")
        user = db.session.get(User, team.peer_id)
        user.session_version += 1
        db.session.commit()

    context.set_offline(False)
    login_link = page.get_by_role("link", name="Log in to send 4 waiting records")
    login_link.wait_for(timeout=15_000)
    assert len(page.evaluate(OUTBOX_ROWS)) == 4
    assert _stored(live_server, team, []) == ([], [])

    login_link.click()
    page.wait_for_url(re.compile(r"/login\?next="))
    page.get_by_label("Username").fill(team.username)
    page.get_by_label("Password").fill(team.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/offline/outbox$"))
    _wait_all_sent(page)
    _assert_each_stored_once(live_server, team, rows)


def test_outbox_never_holds_the_typed_initials_or_date_of_birth(tablet, live_server, team):
    context = tablet()
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)
    context.set_offline(True)
    page.goto("/handouts/new")
    page.get_by_label("Product").select_option(label=team.product_name)
    page.get_by_label("First supply").check()
    page.get_by_text("More details (optional)").click()
    page.get_by_label("Initials (first name, family name)").fill("qz")
    page.get_by_label("Date of birth").fill("1987-03-09")
    page.get_by_label("Sex").select_option("F")
    page.get_by_role("button", name="Save handout").first.click()
    page.get_by_role("status").filter(has_text="waiting to send (1)").wait_for()

    dump = page.evaluate(
        """async () => {
          const db = await new Promise((ok, ko) => {
            const r = indexedDB.open('outreach-offline'); r.onsuccess = () => ok(r.result);
            r.onerror = () => ko(r.error); });
          const rows = await new Promise((ok) => {
            const r = db.transaction('outbox').objectStore('outbox').getAll();
            r.onsuccess = () => ok(r.result); });
          db.close();
          return JSON.stringify(rows);
        }"""
    )
    assert "QZ" not in dump.upper()
    assert "1987" not in dump and "09/03" not in dump
    for key in ("client_initials", "client_dob", "client_sex"):
        assert key not in dump
    (row,) = page.evaluate(OUTBOX_ROWS)
    # An HMAC under the page's tablet key, not a SHA-256 anyone could test birth dates against.
    born = date(1987, 3, 9)
    assert row["data"]["client_code_digest"] == code_digest("QZ", born, "F", CLIENT_CODE_KEY)
    # Of the birth date, only the age band on the record's local day (saved now) is kept.
    assert (row["data"]["age_band"], row["data"]["sex"]) == (age_band(born, org_today()), "F")
    assert hashlib.sha256(b"QZ|1987-03-09|F").hexdigest() not in dump
    # The form is ready for the next record, with the code's parts cleared, and what came of
    # them too.
    assert page.get_by_label("Initials (first name, family name)").input_value() == ""
    for hidden in ("client_code_digest", "age_band", "sex"):
        assert page.locator(f"input[name={hidden}]").input_value() == ""
    context.set_offline(False)
    wait_all_sent(page)
    (handout,) = handouts_of(live_server, team)
    assert (handout.age_band, handout.sex) == (row["data"]["age_band"], "F")


def test_a_record_the_server_refuses_stays_with_its_reason_on_the_outbox_page(
    tablet, live_server, team
):
    context = tablet()
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)
    client_id = str(uuid.uuid4())
    page.evaluate(
        """([id, user, where]) => window.OutreachOutbox.put({kind: 'handout', client_id: id,
             data: {product_id: 999999, quantity: 1, supply: 'first', latitude: where.latitude,
                    longitude: where.longitude, occurred_at: new Date().toISOString()}}, user)""",
        [client_id, str(team.peer_id), SWANSEA],
    )
    page.goto("/offline/outbox")
    row = page.locator(f'li[data-client-id="{client_id}"]')
    row.filter(has_text="Not accepted by the server").wait_for(timeout=15_000)
    assert "Product: " in row.inner_text()  # the field's label, not its name
    assert "product_id" not in row.inner_text()
    (kept,) = page.evaluate(OUTBOX_ROWS)
    assert (kept["client_id"], kept["state"]) == (client_id, "refused")
    assert kept["errors"] and kept["http_status"] in (403, 404, 409, 422)
    assert "not accepted" in status(page).inner_text()
    with live_server.ctx():
        assert db.session.scalars(select(Handout).where(Handout.client_id == client_id)).all() == []

    page.reload()  # still kept after another attempt to send
    row.filter(has_text="Not accepted by the server").wait_for()
    assert len(page.evaluate(OUTBOX_ROWS)) == 1


def test_a_long_outbox_goes_in_small_batches_past_a_refused_record(tablet, live_server, team):
    """Fourteen records wait, the third of which the server refuses: they leave in requests of
    at most the outbox's batch size (so each answers fast under load), all the others are
    stored once, and the refused one stays without holding the rest back."""
    context = tablet()
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)
    sizes: list[int] = []
    page.on(
        "request",
        lambda r: (
            sizes.append(len(r.post_data_json["records"]))
            if r.url.endswith("/api/v1/sync") and r.method == "POST"
            else None
        ),
    )
    context.set_offline(True)
    ids = [str(uuid.uuid4()) for _ in range(14)]
    page.evaluate(
        """([ids, user, where, product]) => Promise.all(ids.map((id, i) =>
             window.OutreachOutbox.put({kind: 'handout', client_id: id,
               data: {product_id: i === 2 ? 999999 : product, quantity: 1 + i % 3,
                      supply: 'first', latitude: where.latitude, longitude: where.longitude,
                      occurred_at: new Date(Date.now() - i * 60000).toISOString()}}, user)))""",
        [ids, str(team.peer_id), SWANSEA, team.product_id],
    )
    context.set_offline(False)
    page.goto("/offline/outbox")
    page.wait_for_function(
        "() => document.querySelector('[data-outbox]').dataset.waiting === '0'", timeout=20_000
    )
    (kept,) = page.evaluate(OUTBOX_ROWS)
    assert (kept["client_id"], kept["state"]) == (ids[2], "refused")
    batch = int(re.search(r"var BATCH = (\d+);", _outbox_js()).group(1))
    assert sizes and max(sizes) <= batch < 14
    assert len(sizes) >= -(-14 // batch)
    with live_server.ctx():
        stored = db.session.scalars(select(Handout.client_id).where(Handout.client_id.in_(ids)))
        assert sorted(str(c).lower() for c in stored) == sorted(ids[:2] + ids[3:])


def _outbox_js() -> str:
    from pathlib import Path

    return (Path(__file__).resolve().parents[2] / "static/js/outbox.js").read_text()


KEPT_PAGES = """() => caches.keys().then((names) => Promise.all(
    names.filter((n) => n.startsWith("outreach-pages-"))
      .map((n) => caches.open(n).then((c) => c.keys()).then((reqs) => reqs.length))))
  .then((counts) => counts.reduce((a, b) => a + b, 0))"""


def test_a_session_ended_on_the_server_clears_the_kept_pages_and_their_tablet_key(
    tablet, live_server, team
):
    """A timeout (or a new password elsewhere) ends the session on the server: the next page the
    tablet asks for is answered by the login page, and the worker drops the pages it kept for
    offline work, which carry the tablet key a stolen tablet could test birth dates with."""
    context = tablet()
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)
    assert page.evaluate(KEPT_PAGES) > 0

    with live_server.ctx():
        user = db.session.get(User, team.peer_id)
        user.session_version += 1
        db.session.commit()

    page.goto(live_server.url + "/handouts/new")
    page.wait_for_url(re.compile(r"/login"))
    kept = page.evaluate(KEPT_PAGES)
    for _ in range(50):  # the worker clears them as it answers; at most 10 s
        if kept == 0:
            break
        page.wait_for_timeout(200)
        kept = page.evaluate(KEPT_PAGES)
    assert kept == 0

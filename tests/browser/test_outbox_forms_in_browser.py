"""Record forms on a tablet with poor signal: nothing typed is lost and nothing is stored twice,
whatever the cache, the tokens, the lost answers and the tablet's own clock zone do."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from outreach.auth.models import User
from outreach.clientcode import code_digest, keyed_hash
from outreach.extensions import db
from tests.browser.offline import (
    OUTBOX_ROWS,
    contacts_of,
    first_page,
    handouts_of,
    wait_all_sent,
    wait_until_ready_offline,
)
from tests.browser.support import CLIENT_CODE_KEY, log_in

pytestmark = pytest.mark.browser

SAVED = re.compile(r"/offline/saved\?")


def _handout(page, team, kits: int) -> None:
    page.get_by_label("Product").select_option(label=team.product_name)
    page.get_by_label("Number of kits").fill(str(kits))
    page.get_by_label("First supply").check()


def _session_outlives_the_token(monkeypatch, live_server) -> None:
    """Here the form's token expires while the login lasts (by default a session ends first:
    after 30 idle minutes, or 12 hours, as long as the token)."""
    monkeypatch.setitem(live_server.app.config, "SESSION_IDLE_MINUTES", 24 * 60)
    monkeypatch.setitem(live_server.app.config, "SESSION_MAX_HOURS", 24)
    monkeypatch.setitem(live_server.app.config, "PERMANENT_SESSION_LIFETIME", timedelta(hours=24))


def _later(page, traveller, seconds: int) -> None:
    """Hours pass, on the server's clock and the tablet's."""
    traveller.shift(timedelta(seconds=seconds))
    page.clock.fast_forward(seconds * 1000)


def test_two_tabs_opened_offline_save_every_record_once(tablet, live_server, team):
    """Both tabs show the same cached page; each form shown, and each saved, has its own id."""
    context = tablet()
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)
    context.set_offline(True)
    tabs = [context.new_page(), context.new_page()]
    for tab in tabs:
        tab.goto("/contacts/new")
    shown = [tab.locator("input[name=client_id]").input_value() for tab in tabs]
    assert shown[0] != shown[1]
    saved = 0
    for _round in range(3):
        for tab in tabs:
            saved += 1
            tab.get_by_label("Number of people", exact=True).fill(str(saved))
            tab.get_by_role("button", name="Save contact").click()
            tab.get_by_role("status").filter(has_text=f"waiting to send ({saved})").wait_for()
    rows = page.evaluate(OUTBOX_ROWS)
    assert sorted(r["data"]["people_count"] for r in rows) == [1, 2, 3, 4, 5, 6]
    assert len({r["client_id"] for r in rows}) == 6

    context.set_offline(False)
    wait_all_sent(tabs[0])
    stored = contacts_of(live_server, team)
    assert sorted(c.people_count for c in stored) == [1, 2, 3, 4, 5, 6]
    assert sorted(c.client_id for c in stored) == sorted(r["client_id"] for r in rows)


def test_a_stale_form_saved_once_the_signal_is_back_is_kept_and_sent(
    tablet, live_server, team, _pinned_clock, monkeypatch
):
    """A page from the cache carries a token from hours ago: the post is refused as expired,
    and the record goes to the outbox, then to the server, instead of an error page."""
    _session_outlives_the_token(monkeypatch, live_server)
    context = tablet()
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)
    context.set_offline(True)
    page.goto("/handouts/new")
    _later(page, _pinned_clock, live_server.app.config["WTF_CSRF_TIME_LIMIT"] + 60)
    _handout(page, team, kits=3)
    context.set_offline(False)
    page.get_by_role("button", name="Save handout").first.click()

    page.wait_for_url(SAVED)
    assert page.get_by_role("status").filter(has_text="The form had expired").is_visible()
    wait_all_sent(page)
    (handout,) = handouts_of(live_server, team)
    assert (handout.quantity, handout.supply) == (3, "first")


def test_a_form_whose_token_expired_is_stored_with_its_client_code(
    tablet, live_server, team, _pinned_clock, monkeypatch
):
    _session_outlives_the_token(monkeypatch, live_server)
    context = tablet()
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)
    synced: list[str] = []
    page.on(
        "request",
        lambda r: synced.append(r.post_data or "") if r.url.endswith("/api/v1/sync") else None,
    )
    page.goto("/handouts/new")
    _handout(page, team, kits=2)
    page.get_by_text("More details (optional)").click()
    page.get_by_label("Initials (first name, family name)").fill("Qx")
    page.get_by_label("Date of birth").fill("1979-02-28")
    page.get_by_label("Sex").select_option("F")
    _later(page, _pinned_clock, live_server.app.config["WTF_CSRF_TIME_LIMIT"] + 60)
    page.get_by_role("button", name="Save handout").last.click()

    page.wait_for_url(SAVED)
    wait_all_sent(page)
    digest = code_digest("QX", date(1979, 2, 28), "F", CLIENT_CODE_KEY)
    (handout,) = handouts_of(live_server, team)
    assert handout.quantity == 2
    assert handout.client_hash == keyed_hash(digest, CLIENT_CODE_KEY)
    (body,) = [json.loads(b) for b in synced if b]
    assert body["records"][0]["data"]["client_code_digest"] == digest
    assert "1979" not in json.dumps(body) and "QX" not in json.dumps(body).upper()


def test_a_form_stored_whose_answer_was_lost_leaves_the_outbox_as_already_stored(
    tablet, live_server, team
):
    context = tablet()
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)
    page.goto("/handouts/new")
    _handout(page, team, kits=2)
    with live_server.replies_lost("/handouts/new"):
        page.get_by_role("button", name="Save handout").first.click()
        page.wait_for_url(SAVED)
    assert len(handouts_of(live_server, team)) == 1  # stored, though the tablet never heard

    page.goto("/offline/outbox")
    wait_all_sent(page)
    assert page.locator("[data-outbox-text]").inner_text() == "All sent"
    (handout,) = handouts_of(live_server, team)
    assert handout.quantity == 2


@pytest.mark.parametrize(
    ("org_zone", "typed", "stored_utc"),
    [
        ("Europe/London", "2026-11-17T21:30", datetime(2026, 11, 17, 21, 30, tzinfo=UTC)),
        ("Europe/London", "2026-07-10T09:15", datetime(2026, 7, 10, 8, 15, tzinfo=UTC)),
        ("Europe/Stockholm", "2026-11-17T21:30", datetime(2026, 11, 17, 20, 30, tzinfo=UTC)),
    ],
)
def test_a_time_typed_offline_is_the_organisations_whatever_zone_the_tablet_is_set_to(
    tablet, live_server, org_zone, typed, stored_utc
):
    team = live_server.team(timezone=org_zone, trained_on=date(2026, 6, 1))
    context = tablet(timezone_id="America/New_York")
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)
    context.set_offline(True)
    page.goto("/handouts/new")
    _handout(page, team, kits=1)
    page.get_by_text("More details (optional)").click()
    page.get_by_label("When").fill(typed)
    page.get_by_role("button", name="Save handout").last.click()
    page.get_by_role("status").filter(has_text="waiting to send (1)").wait_for()

    context.set_offline(False)
    wait_all_sent(page)
    (handout,) = handouts_of(live_server, team)
    assert handout.occurred_at.replace(tzinfo=UTC) == stored_utc


def test_a_cached_forms_now_is_the_organisations_now_on_a_tablet_set_to_another_zone(
    tablet, live_server
):
    team = live_server.team(timezone="Europe/Stockholm")
    context = tablet(timezone_id="America/New_York")
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)
    context.set_offline(True)
    page.clock.fast_forward("30:00")  # the cached page's "now" is half an hour old
    page.goto("/handouts/new")
    now = datetime.fromtimestamp(page.evaluate("Date.now()") / 1000, UTC)
    shown = page.locator("input[name=occurred_at]").input_value()
    local = now.astimezone(ZoneInfo("Europe/Stockholm"))
    assert shown in {
        local.strftime("%Y-%m-%dT%H:%M"),
        (local - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M"),
    }


def test_a_back_dated_time_stays_as_typed_after_a_validation_error(open_page, live_server, team):
    page = open_page()
    log_in(page, team)
    page.goto("/handouts/new")
    page.get_by_label("Product").select_option(label=team.product_name)
    page.get_by_text("More details (optional)").click()
    page.get_by_label("When").fill("2026-11-17T21:30")
    page.get_by_role("button", name="Save handout").last.click()  # no supply chosen

    alert = page.get_by_role("alert").filter(has_text="Nothing you typed was lost")
    alert.wait_for()
    assert page.locator("#supply-err").is_visible()
    assert page.get_by_label("When").input_value() == "2026-11-17T21:30"
    page.get_by_label("First supply").check()
    page.get_by_role("button", name="Save handout").first.click()
    page.wait_for_url(re.compile(r"/handouts/\d+$"))
    (handout,) = handouts_of(live_server, team)
    assert handout.occurred_at.replace(tzinfo=UTC) == datetime(2026, 11, 17, 21, 30, tzinfo=UTC)


def test_a_time_the_spring_clock_change_skipped_is_refused_on_the_tablet(tablet, live_server):
    """London's clocks jump from 01:00 to 02:00 on 29 March 2026: 01:30 never happened there,
    whatever the tablet's own zone says (Tokyo has no clock change)."""
    team = live_server.team(trained_on=date(2026, 1, 5))
    context = tablet(timezone_id="Asia/Tokyo")
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)
    context.set_offline(True)
    page.goto("/handouts/new")
    _handout(page, team, kits=1)
    page.get_by_text("More details (optional)").click()
    page.get_by_label("When").fill("2026-03-29T01:30")
    page.get_by_role("button", name="Save handout").last.click()
    page.get_by_role("status").filter(has_text="01:30 does not exist on this day").wait_for()
    assert page.evaluate(OUTBOX_ROWS) == []
    page.get_by_label("When").fill("2026-03-29T02:30")
    page.get_by_role("button", name="Save handout").last.click()
    page.get_by_role("status").filter(has_text="waiting to send (1)").wait_for()
    context.set_offline(False)
    wait_all_sent(page)
    (handout,) = handouts_of(live_server, team)
    assert handout.occurred_at.replace(tzinfo=UTC) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_a_form_saved_after_being_logged_out_everywhere_is_kept_until_the_peer_logs_in(
    tablet, live_server, team
):
    context = tablet()
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)
    page.goto("/handouts/new")
    _handout(page, team, kits=4)
    with live_server.ctx():  # "log out everywhere" on another device
        user = db.session.get(User, team.peer_id)
        user.session_version += 1
        db.session.commit()
    page.get_by_role("button", name="Save handout").first.click()

    page.wait_for_url(re.compile(r"/login\?next="))  # the saved page asks them to log in
    assert handouts_of(live_server, team) == []
    page.get_by_label("Username").fill(team.username)
    page.get_by_label("Password").fill(team.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(SAVED)
    assert page.get_by_role("status").filter(has_text="You had been logged out").is_visible()
    wait_all_sent(page)
    (handout,) = handouts_of(live_server, team)
    assert handout.quantity == 4

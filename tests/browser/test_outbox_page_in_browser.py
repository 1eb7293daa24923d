"""The outbox page and the home page: each waiting record as the peer knows it, on a phone too;
a refused one opened, corrected and sent again; the home page showing what just arrived."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from tests.browser.offline import (
    OUTBOX_ROWS,
    first_page,
    handouts_of,
    put_records,
    wait_all_sent,
    wait_until_ready_offline,
)
from tests.browser.support import SWANSEA, log_in

pytestmark = pytest.mark.browser


def _handout(team, when: str, kits: int = 2) -> dict:
    return {
        "kind": "handout",
        "client_id": str(uuid.uuid4()),
        "data": {
            "product_id": team.product_id,
            "quantity": kits,
            "supply": "first",
            "occurred_at": when,
            **SWANSEA,
        },
    }


@pytest.mark.parametrize(
    ("zone", "locale", "when", "kits"),
    [
        ("Europe/London", None, "17 Nov 2026, 20:30", "Kits: 2"),
        ("Europe/Stockholm", "sv", "17 nov. 2026 21:30", "Förpackningar: 2"),
        ("Europe/London", "cy", "17 Tach 2026 20:30", "Pecynnau: 2"),
    ],
)
def test_the_outbox_shows_each_records_own_time_product_and_kits_in_the_users_language(
    tablet, live_server, zone, locale, when, kits
):
    team = live_server.team(timezone=zone, locale=locale)
    context = tablet(timezone_id="America/New_York")
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)
    context.set_offline(True)
    record = _handout(team, "2026-11-17T20:30:00+00:00")
    put_records(page, team.peer_id, [record])
    page.goto("/offline/outbox")
    item = page.locator(f'[data-client-id="{record["client_id"]}"]')
    item.wait_for()
    text = item.inner_text()
    assert team.product_name in text
    assert when in text and kits in text
    assert "18" not in text.split(kits)[0].split(team.product_name)[1]  # not the day it was saved


def _refused(team, reasons: list[dict]) -> dict:
    row = _handout(team, "2026-11-17T20:30:00+00:00")
    return {**row, "user": str(team.peer_id), "saved_at": datetime.now(UTC).isoformat()} | {
        "state": "refused",
        "errors": reasons,
        "http_status": 422,
    }


@pytest.mark.parametrize("width", [320, 375])
def test_the_outbox_fits_a_phone_without_sideways_scrolling_and_with_big_buttons(
    tablet, live_server, width
):
    team = live_server.team(locale="cy")  # Welsh words are the longest
    context = tablet(viewport={"width": width, "height": 700})
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)
    context.set_offline(True)
    long_reason = "Nid oes gan y bag ddigon o becynnau o'r swp hwn ar gyfer y cyflenwad hwn. " * 2
    refused = _refused(
        team,
        [
            {"field": "quantity", "reason": long_reason},
            {"field": "client_id", "reason": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" * 2},
        ],
    )
    page.evaluate("(row) => window.OutreachOutbox.update(row)", refused)
    put_records(page, team.peer_id, [_handout(team, "2026-11-17T20:30:00+00:00")])
    page.goto("/offline/outbox")
    page.locator("[data-client-id]").nth(1).wait_for()
    sizes = page.evaluate(
        """() => ({
          page: document.documentElement.scrollWidth, view: window.innerWidth,
          small: [...document.querySelectorAll('main button, main a.btn, [data-outbox] button')]
            .filter((b) => b.offsetParent !== null)
            .map((b) => [b.textContent.trim(), b.getBoundingClientRect()])
            .filter(([, r]) => r.height < 44 || r.width < 44)
            .map(([t, r]) => `${t}: ${r.width}x${r.height}`),
          wide: [...document.querySelectorAll('body *')]
            .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5
                            || el.scrollWidth > el.clientWidth + 1
                               && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX))
            .map((el) => el.tagName + '.' + el.className).slice(0, 5),
        })"""
    )
    assert sizes["page"] <= sizes["view"]
    assert sizes["wide"] == []  # nothing sticks out, nothing scrolls sideways inside the page
    assert sizes["small"] == []
    assert page.get_by_role("link", name="Cywiro").is_visible()


def test_the_home_page_shows_records_that_just_arrived(tablet, live_server, team):
    context = tablet()
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)
    recent = page.locator("section", has=page.get_by_role("heading", name="My recent handouts"))
    assert "None yet." in recent.inner_text()
    page.evaluate("() => { window.stillThisPage = true; }")
    context.set_offline(True)
    put_records(page, team.peer_id, [_handout(team, "2026-11-18T09:40:00+00:00", kits=3)])
    context.set_offline(False)  # the signal returns: the outbox sends
    wait_all_sent(page)
    recent.filter(has_text=f"{team.product_name} × 3").wait_for()
    assert page.evaluate("() => window.stillThisPage") is True  # drawn again in place


def test_a_refused_record_is_corrected_and_sent_again_from_the_outbox(tablet, live_server):
    team = live_server.team(locale="sv")
    context = tablet()
    page = first_page(context)
    log_in(page, team)
    wait_until_ready_offline(page)
    record = _handout(team, "2026-11-19T09:30:00+00:00")  # tomorrow: the server refuses it
    context.set_offline(True)
    put_records(page, team.peer_id, [record])
    context.set_offline(False)
    page.goto("/offline/outbox")
    item = page.locator(f'[data-client-id="{record["client_id"]}"]')
    item.filter(has_text="Servern tog inte emot posten").wait_for(timeout=15_000)
    assert "Tidpunkt: Tidpunkten kan inte ligga i framtiden." in item.inner_text()
    assert "occurred_at" not in item.inner_text()

    item.get_by_role("link", name="Rätta").click()
    page.wait_for_url("**/handouts/new?correct=*")
    when = page.get_by_label("Tidpunkt")
    when.wait_for()
    page.wait_for_function("() => document.querySelector('[name=occurred_at]').value !== ''")
    assert when.input_value() == "2026-11-19T09:30"
    assert page.get_by_label("Antal förpackningar").input_value() == "2"
    assert page.get_by_label("Första utdelning").is_checked()
    notice = page.get_by_role("status").filter(has_text="Servern tog inte emot posten")
    assert "Tidpunkt: Tidpunkten kan inte ligga i framtiden." in notice.inner_text()
    assert (
        when.locator("xpath=ancestor::div[contains(@class,'field')]")
        .inner_text()
        .count("Tidpunkten kan inte ligga i framtiden.")
    )

    when.fill("2026-11-18T09:30")
    page.get_by_role("button", name="Spara utdelning").last.click()
    page.wait_for_url("**/offline/outbox")
    wait_all_sent(page)
    (handout,) = handouts_of(live_server, team)
    assert handout.client_id == record["client_id"]
    assert handout.occurred_at.replace(tzinfo=UTC) == datetime(2026, 11, 18, 9, 30, tzinfo=UTC)
    assert page.evaluate(OUTBOX_ROWS) == []

"""The tablet keeps the person's age band on the record's local day and the sex, worked out as
the server works them out (outreach/demographics.py), and never sends or keeps the birth date."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from itertools import product
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from outreach.demographics import age_band
from outreach.extensions import db
from outreach.handouts.models import Handout
from tests.browser.support import PORTRAIT, log_in

pytestmark = pytest.mark.browser

BIRTHS = ("2008-02-29", "2000-02-29", "2008-02-28", "2008-03-01", "2008-07-15", "1971-07-19")
BIRTHS += ("1990-12-31", "1959-01-01", "2020-06-15", "2027-01-01")
DAYS = ("2026-02-28", "2026-03-01", "2028-02-28", "2028-02-29", "2026-07-14", "2026-07-15")
DAYS += ("2026-07-18", "2026-07-19", "2026-12-31", "2027-01-01", "2014-07-15")


def test_the_tablet_works_out_the_same_age_band_as_the_server(open_page, team):
    page = open_page(PORTRAIT)
    log_in(page, team)
    pairs = list(product(BIRTHS, DAYS))
    shown = page.evaluate(
        "(pairs) => pairs.map(([b, d]) => window.OutreachOutbox.ageBand(b, d))", pairs
    )
    expected = [age_band(date.fromisoformat(b), date.fromisoformat(d)) or "" for b, d in pairs]
    assert shown == expected
    # Born on 29 February: a year older on 1 March in a common year, on the day in a leap year.
    assert page.evaluate("window.OutreachOutbox.ageBand('2008-02-29', '2026-02-28')") == "under_18"
    assert page.evaluate("window.OutreachOutbox.ageBand('2008-02-29', '2026-03-01')") == "18_24"


def test_an_outbox_record_holds_the_band_sex_and_overdose_answers_never_the_birth_date(
    open_page, team
):
    page = open_page(PORTRAIT)
    log_in(page, team)
    entries = [
        ["administered_by", "peer"],
        ["occurred_at", "2026-03-01T00:30"],
        ["client_dob", "2008-02-29"],
        ["client_sex", "m"],
        ["referred", "yes"],
        ["taken_to_hospital", "no"],
        ["emergency_called", "unknown"],
        ["place_type", "hostel"],
    ]
    record = page.evaluate(
        """(entries) => window.OutreachOutbox.buildRecord('overdose_report', entries,
             { strict: false, zone: 'Europe/London' })""",
        entries,
    )
    data = record["data"]
    assert (data["age_band"], data["sex"]) == ("18_24", "M")
    assert (data["referred"], data["taken_to_hospital"], data["place_type"]) == (
        True,
        False,
        "hostel",
    )
    assert "emergency_called" not in data  # not known
    assert "client_dob" not in data and "2008" not in str(data)


def _save_handout_with_a_birth_date(page, team, when: str) -> None:
    page.goto("/handouts/new")
    page.wait_for_function("() => document.querySelector('input[name=latitude]').value !== ''")
    page.get_by_label("Product").select_option(label=team.product_name)
    page.get_by_label("First supply").check()
    page.get_by_text("More details (optional)").click()
    page.get_by_label("When").fill(when)
    page.get_by_label("Initials").fill("Qx")
    page.get_by_label("Date of birth").fill("2008-07-15")
    page.get_by_label("Sex").select_option("M")
    page.get_by_role("button", name="Save handout").last.click()
    page.wait_for_url(re.compile(r"/handouts/\d+$"))


@pytest.mark.pinned("2026-07-20T10:00:00+00:00")  # a summer day in Europe/London
def test_a_handout_typed_with_a_birth_date_is_stored_with_the_band_of_its_local_day(
    open_page, live_server, team
):
    page = open_page(PORTRAIT)
    posts: list[str] = []
    page.on(
        "request",
        lambda r: posts.append(r.post_data or "") if r.method == "POST" else None,
    )
    log_in(page, team)
    # 00:30 on 15 July in London is 23:30 on the 14th in UTC: the 18th birthday has come; an
    # hour earlier it has not (though it has by today, the 20th).
    _save_handout_with_a_birth_date(page, team, "2026-07-15T00:30")
    _save_handout_with_a_birth_date(page, team, "2026-07-14T23:30")

    sent = [parse_qs(p, keep_blank_values=True) for p in posts if "client_code_digest" in p]
    assert [(s["age_band"], s["sex"]) for s in sent] == [(["18_24"], ["M"]), (["under_18"], ["M"])]
    assert all(s.get("client_dob", [""]) == [""] for s in sent)
    assert not [p for p in posts if "2008" in p]
    with live_server.ctx():
        stored = db.session.execute(
            select(Handout.occurred_at, Handout.age_band, Handout.sex, Handout.client_hash)
            .where(Handout.giver_id == team.peer_id)
            .order_by(Handout.id)
        ).all()
    assert [tuple(row[:3]) for row in stored] == [
        (datetime(2026, 7, 14, 23, 30, tzinfo=UTC), "18_24", "M"),
        (datetime(2026, 7, 14, 22, 30, tzinfo=UTC), "under_18", "M"),
    ]
    assert all(row.client_hash for row in stored)

"""Local time: typed, stored, shown, reported and exported in the organisation's own zone."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from flask_babel import format_datetime
from sqlalchemy import select

from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.maps.models import SpikeAlert
from outreach.orgs.models import Organisation
from outreach.timezones import NonexistentTime, day_bounds, local_today, month_bounds, to_utc
from tests import factories

LONDON, STOCKHOLM = ZoneInfo("Europe/London"), ZoneInfo("Europe/Stockholm")
# Both clock changes of 2027: the last Sundays of March and October, at 01:00 UTC.
SPRING, AUTUMN = date(2027, 3, 28), date(2027, 10, 31)
# The hour that does not exist in spring, and the one that happens twice in autumn.
GAP = {"Europe/London": (1, 2), "Europe/Stockholm": (2, 3)}


def quarter_hours(day: date):
    start = datetime(day.year, day.month, day.day)
    return [start + timedelta(minutes=15 * i) for i in range(96)]


# ---- The rules, as plain functions ---------------------------------------------------------


@pytest.mark.parametrize("tz", [LONDON, STOCKHOLM], ids=str)
@pytest.mark.parametrize("day", [SPRING, AUTUMN], ids=str)
def test_every_quarter_hour_of_a_clock_change_day_comes_back_as_typed_or_is_refused(tz, day):
    lo, hi = GAP[str(tz)]
    for typed in quarter_hours(day):
        in_gap = day == SPRING and lo <= typed.hour < hi
        if in_gap:
            with pytest.raises(NonexistentTime):
                to_utc(typed, tz)
            continue
        stored = to_utc(typed, tz)
        assert stored.tzinfo is UTC
        assert stored.astimezone(tz).replace(tzinfo=None) == typed


@pytest.mark.parametrize("tz", [LONDON, STOCKHOLM], ids=str)
def test_a_time_the_autumn_change_repeats_is_its_first_occurrence(tz):
    lo, _hi = GAP[str(tz)]
    typed = datetime(2027, 10, 31, lo, 30)
    stored = to_utc(typed, tz)
    assert stored == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)  # still summer time
    assert stored.astimezone(tz).dst() == timedelta(hours=1)


def test_local_days_and_months_are_the_zones_own():
    # 00:30 on 1 December in Stockholm is still 30 November in UTC.
    now = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)
    assert local_today(STOCKHOLM, now) == date(2026, 12, 1)
    assert local_today(LONDON, now) == date(2026, 11, 30)
    assert month_bounds(2027, 7, LONDON) == (
        datetime(2027, 6, 30, 23, tzinfo=UTC),
        datetime(2027, 7, 31, 23, tzinfo=UTC),
    )
    assert month_bounds(2028, 2, STOCKHOLM) == (
        datetime(2028, 1, 31, 23, tzinfo=UTC),
        datetime(2028, 2, 29, 23, tzinfo=UTC),
    )
    # The spring-forward day is 23 hours long, the autumn one 25.
    lo, hi = day_bounds(SPRING, SPRING, LONDON)
    assert hi - lo == timedelta(hours=23)
    lo, hi = day_bounds(AUTUMN, AUTUMN, STOCKHOLM)
    assert hi - lo == timedelta(hours=25)


# ---- Through the pages ---------------------------------------------------------------------


def _org_with_peer(make, zone: str):
    org = make.org(timezone=zone)
    site = make.site(organisation=org)
    peer = make.user(organisation=org)
    make.commit()
    return org, site, peer


@pytest.mark.parametrize("zone", ["Europe/London", "Europe/Stockholm"])
@pytest.mark.parametrize("day", [SPRING, AUTUMN], ids=str)
def test_typed_stored_and_shown_through_the_contact_form(app, client, auth, make, zone, day):
    tz = ZoneInfo(zone)
    _org, site, peer = _org_with_peer(make, zone)
    lo, hi = GAP[zone]
    with time_machine.travel(datetime(2027, 11, 5, 12, tzinfo=UTC)):
        auth.login(peer)  # a session cookie from the pinned day would have expired
        for typed in quarter_hours(day):
            resp = client.post(
                "/contacts/new",
                data={"site_id": site.id, "occurred_at": typed.strftime("%Y-%m-%dT%H:%M")},
            )
            if day == SPRING and lo <= typed.hour < hi:
                assert resp.status_code == 422
                page = resp.get_data(as_text=True)
                assert "the clocks went forward an hour" in page
                assert typed.strftime("%Y-%m-%dT%H:%M") in page  # what was typed is kept
                continue
            assert resp.status_code == 302, typed
            contact = db.session.scalar(
                select(OutreachContact).order_by(OutreachContact.id.desc()).limit(1)
            )
            assert contact.occurred_at == to_utc(typed, tz)
            shown = client.get(resp.headers["Location"]).get_data(as_text=True)
            with app.test_request_context():
                expected = format_datetime(contact.occurred_at.astimezone(tz), "short")
            assert typed.strftime("%H:%M") in expected
            assert expected in shown


@pytest.mark.parametrize(
    ("zone", "now"),
    [
        ("Europe/Stockholm", datetime(2027, 6, 30, 22, 30, tzinfo=UTC)),  # 00:30 on 1 July
        ("Europe/London", datetime(2027, 6, 30, 23, 30, tzinfo=UTC)),  # 00:30 on 1 July
        ("Europe/Stockholm", datetime(2027, 1, 15, 9, 0, tzinfo=UTC)),  # a winter day
        ("Europe/London", datetime(2027, 8, 14, 15, 45, tzinfo=UTC)),  # a summer day
    ],
)
def test_the_prefilled_now_is_saved_as_now_in_summer_and_winter(client, auth, make, zone, now):
    _org, site, peer = _org_with_peer(make, zone)
    with time_machine.travel(now, tick=False):
        auth.login(peer)
        page = client.get("/contacts/new").get_data(as_text=True)
        local = now.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%dT%H:%M")
        assert f'value="{local}"' in page
        resp = client.post("/contacts/new", data={"site_id": site.id, "occurred_at": local})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    contact = db.session.scalar(select(OutreachContact))
    assert contact.occurred_at == now


def test_spike_alerts_fire_for_reports_saved_in_summer_in_goteborg(app, client, auth, make):
    _org, site, peer = _org_with_peer(make, "Europe/Stockholm")
    summer = datetime(2027, 7, 1, 21, 40, tzinfo=UTC)  # 23:40 in Göteborg
    with time_machine.travel(summer):
        auth.login(peer)
        for minutes in range(app.config["MAP_SPIKE_24H"]):
            typed = (summer - timedelta(minutes=10 * minutes)).astimezone(STOCKHOLM)
            resp = client.post(
                "/overdoses/new",
                data={
                    "administered_by": "peer",
                    "site_id": site.id,
                    "occurred_at": typed.strftime("%Y-%m-%dT%H:%M"),
                },
            )
            assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    alerts = db.session.scalars(select(SpikeAlert).where(SpikeAlert.window == "24h")).all()
    assert alerts and all(a.count >= app.config["MAP_SPIKE_24H"] for a in alerts)


def test_an_org_admin_sets_the_zone_and_typed_times_follow_it(client, auth, make):
    org = make.org()
    admin = make.user(role="org_admin", organisation=org)
    site = make.site(organisation=org)
    peer = make.user(organisation=org)
    make.commit()
    auth.login(admin)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'value="Europe/Stockholm"' in page and "Time zone" in page
    resp = client.post(
        "/admin/settings", data={"timezone": "Europe/Stockholm", "correction_days": 7}
    )
    assert resp.status_code == 302
    assert db.session.get(Organisation, org.id).timezone == "Europe/Stockholm"
    assert client.post("/admin/settings", data={"timezone": "Mars/Olympus"}).status_code == 422
    auth.logout()
    with time_machine.travel(datetime(2027, 7, 10, 12, tzinfo=UTC)):
        auth.login(peer)
        client.post("/contacts/new", data={"site_id": site.id, "occurred_at": "2027-07-10T09:00"})
    contact = db.session.scalar(select(OutreachContact))
    assert contact.occurred_at == datetime(2027, 7, 10, 7, tzinfo=UTC)  # 09:00 CEST


def test_a_peer_cannot_change_the_zone(client, auth, make):
    _org, _site, peer = _org_with_peer(make, "Europe/London")
    auth.login(peer)
    assert client.get("/admin/settings").status_code == 403
    assert client.post("/admin/settings", data={"timezone": "Europe/Stockholm"}).status_code == 403


def test_the_platform_admin_chooses_a_new_organisations_zone(client, auth, make):
    admin = make.user(role="platform_admin")
    make.commit()
    auth.login(admin)
    resp = client.post(
        "/admin/organisations/new",
        data={
            "name": "Västernorrland",
            "area": "Region Västernorrland",
            "timezone": "Europe/Stockholm",
        },
    )
    assert resp.status_code == 302
    org = db.session.scalar(select(Organisation).where(Organisation.name == "Västernorrland"))
    assert org.timezone == "Europe/Stockholm"


def test_create_org_on_the_command_line_takes_a_zone(runner):
    result = runner.invoke(
        args=[
            "create-org",
            "Göteborg Stad",
            "--area",
            "Västra Götaland",
            "--timezone",
            "Europe/Stockholm",
        ]
    )
    assert result.exit_code == 0, result.output
    org = db.session.scalar(select(Organisation).where(Organisation.name == "Göteborg Stad"))
    assert org.timezone == "Europe/Stockholm"
    bad = runner.invoke(args=["create-org", "X", "--area", "Y", "--timezone", "Nowhere/Land"])
    assert bad.exit_code != 0 and "time zone" in bad.output


# ---- Reports, lists and exports in local months and days ------------------------------------


def _handout_at(peer, product, when: datetime, quantity: int):
    return factories.HandoutFactory(
        giver=peer, product=product, occurred_at=when, quantity=quantity
    )


def test_a_report_month_is_each_organisations_local_month(client, auth, make):
    london = make.org(name="Cardiff", timezone="Europe/London")
    stockholm = make.org(name="Göteborg", timezone="Europe/Stockholm")
    product = make.product()
    coordinator = make.user(role="coordinator", organisation=london)
    peer_l = make.user(organisation=london)
    peer_s = make.user(organisation=stockholm)
    coord_s = make.user(role="coordinator", organisation=stockholm)
    # 00:30 local on 1 July: July for its makers, though UTC still says 30 June.
    _handout_at(peer_l, product, datetime(2027, 6, 30, 23, 30, tzinfo=UTC), 3)
    _handout_at(peer_s, product, datetime(2027, 6, 30, 22, 30, tzinfo=UTC), 5)
    # 23:30 local on 31 July: still July, though UTC says 31 July 22:30 / 21:30.
    _handout_at(peer_l, product, datetime(2027, 7, 31, 22, 30, tzinfo=UTC), 7)
    _handout_at(peer_s, product, datetime(2027, 7, 31, 21, 30, tzinfo=UTC), 10)
    # 00:30 local on 1 August: August.
    _handout_at(peer_l, product, datetime(2027, 7, 31, 23, 30, tzinfo=UTC), 13)
    _handout_at(peer_s, product, datetime(2027, 7, 31, 22, 30, tzinfo=UTC), 17)
    factories.PartnershipFactory(a=london, b=stockholm)
    make.commit()

    def kits(user, month, **args):
        auth.login(user)
        resp = client.get("/api/v1/reports/monthly", query_string={"month": month, **args})
        auth.logout()
        body = resp.get_json()
        tiles = {t["label"]: t["value"] for t in body["tiles"]}
        return tiles["Kits handed out"], body["time_zone"]

    with time_machine.travel(datetime(2027, 9, 10, 12, tzinfo=UTC)):
        assert kits(coordinator, "2027-07") == (3 + 7, "Europe/London")
        assert kits(coordinator, "2027-06") == (0, "Europe/London")
        assert kits(coordinator, "2027-08") == (13, "Europe/London")
        assert kits(coord_s, "2027-07") == (5 + 10, "Europe/Stockholm")
        assert kits(coord_s, "2027-08") == (17, "Europe/Stockholm")
        # Everything a viewer may see: each organisation's records in its own month (the
        # totals are multiples of 5, so the rounding of figures with others' data keeps them).
        admin = make.user(role="platform_admin", organisation=london)
        make.commit()
        total, zones = kits(admin, "2027-07", scope="all")
        assert total == 3 + 7 + 5 + 10
        assert zones == "Europe/London, Europe/Stockholm"


def test_the_monthly_exports_name_their_zone(client, auth, make):
    org = make.org(timezone="Europe/Stockholm")
    coordinator = make.user(role="coordinator", organisation=org)
    make.commit()
    with time_machine.travel(datetime(2027, 9, 10, 12, tzinfo=UTC)):
        auth.login(coordinator)
        body = client.get("/reports/monthly?month=2027-07&format=csv").get_data()
        rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
        assert rows[1] == ["Report", "Time zone", "Europe/Stockholm"]
        page = client.get("/reports/monthly?month=2027-07").get_data(as_text=True)
        assert "local time (Europe/Stockholm)" in page
        xlsx = client.get("/reports/monthly?month=2027-07&format=xlsx").get_data()
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(xlsx))
    first = book.worksheets[0]
    assert "Europe/Stockholm" in first.cell(row=2, column=1).value


def test_list_filters_take_whole_local_days(client, auth, make):
    org, _site, peer = _org_with_peer(make, "Europe/Stockholm")
    product = make.product()
    # 00:30 and 23:30 on 1 July in Göteborg (summer): the 1st, though UTC says otherwise.
    early = _handout_at(peer, product, datetime(2027, 6, 30, 22, 30, tzinfo=UTC), 1)
    late = _handout_at(peer, product, datetime(2027, 7, 1, 21, 30, tzinfo=UTC), 2)
    _handout_at(peer, product, datetime(2027, 7, 1, 22, 30, tzinfo=UTC), 4)  # the 2nd
    make.commit()
    with time_machine.travel(datetime(2027, 7, 3, 12, tzinfo=UTC)):
        auth.login(peer)
        page = client.get("/handouts/?start=2027-07-01&end=2027-07-01").get_data(as_text=True)
    shown = {int(x) for x in _ids(page)}
    assert shown == {early.id, late.id}


def _ids(page: str) -> list[str]:
    import re

    return re.findall(r'href="/handouts/(\d+)"', page)


def test_a_handouts_training_and_expiry_are_checked_on_the_local_day(app, make):
    from outreach.handouts.services import HandoutInput, record_handout
    from outreach.places import Location

    org = make.org(timezone="Europe/Stockholm")
    peer = make.user(organisation=org, trained=False)
    product = make.product()
    # The course ran out on 30 June; 00:30 on 1 July in Göteborg is 30 June in UTC.
    factories.train(peer, held_on=date(2026, 6, 30))
    make.commit()
    with app.test_request_context(), time_machine.travel(datetime(2027, 7, 1, 12, tzinfo=UTC)):
        data = HandoutInput(
            product_id=product.id,
            quantity=1,
            location=Location(57.7, 11.97, "gps", None, None),
            supply="first",
            occurred_at=datetime(2027, 6, 30, 22, 30, tzinfo=UTC),
        )
        from outreach.domain import NotTrained

        with pytest.raises(NotTrained):
            record_handout(data, giver=peer, recorded_by=peer)
        data.occurred_at = datetime(2027, 6, 30, 21, 30, tzinfo=UTC)  # 23:30 on 30 June
        handout = record_handout(data, giver=peer, recorded_by=peer)
    assert isinstance(handout, Handout)

"""The map's days are the organisation's local days, on the page and in its GeoJSON, in London
and in Stockholm; a spike window runs across local midnight and its time is shown in local time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from babel.dates import format_datetime

from outreach.extensions import db
from outreach.maps.spikes import detect_spikes
from outreach.overdoses.models import OverdoseReport
from tests import factories

SWANSEA = (51.6214, -3.9436)
BOX = "51.5,-4.1,51.7,-3.8"
# A summer day (London UTC+1, Stockholm UTC+2) and a winter day (UTC+0, UTC+1).
DAYS = [date(2027, 7, 1), date(2027, 1, 14)]
ZONES = ["Europe/London", "Europe/Stockholm"]


def _local(day: date, hh: int, mm: int, zone: str) -> datetime:
    return datetime.combine(day, time(hh, mm), ZoneInfo(zone)).astimezone(UTC)


def _org_around_midnight(make, zone: str, day: date):
    """An organisation in `zone` with kits handed out either side of both local midnights of
    `day`: 1 kit at 23:30 the day before, 2 at 00:30 and 4 at 23:30 on the day, 8 at 00:30 the
    day after. The day itself holds 2 + 4 = 6 kits."""
    org = make.org(timezone=zone)
    make.site(organisation=org, latitude=SWANSEA[0], longitude=SWANSEA[1])
    coordinator = make.user(role="coordinator", organisation=org)
    peer = make.user(organisation=org)
    product = make.product()
    before, after = day - timedelta(days=1), day + timedelta(days=1)
    for when, kits in (
        (_local(before, 23, 30, zone), 1),
        (_local(day, 0, 30, zone), 2),
        (_local(day, 23, 30, zone), 4),
        (_local(after, 0, 30, zone), 8),
    ):
        factories.HandoutFactory(
            giver=peer, product=product, occurred_at=when, quantity=kits,
            latitude=SWANSEA[0], longitude=SWANSEA[1],
        )  # fmt: skip
    make.commit()
    return coordinator


def _kits_on_page(html: str) -> int:
    found = re.search(r"Kits handed out: the busiest squares \((\d+) in all", html)
    assert found, "the map shows no table of kits"
    return int(found.group(1))


def _utc_day_kits(zone: str, day: date) -> int:
    """What a filter by UTC days would count instead (the test must tell the two apart)."""
    times = {
        1: _local(day - timedelta(days=1), 23, 30, zone),
        2: _local(day, 0, 30, zone),
        4: _local(day, 23, 30, zone),
        8: _local(day + timedelta(days=1), 0, 30, zone),
    }
    return sum(k for k, t in times.items() if t.date() == day)


@pytest.mark.parametrize("day", DAYS, ids=str)
@pytest.mark.parametrize("zone", ZONES)
def test_a_map_day_is_the_organisations_local_day(client, auth, make, zone, day):
    coordinator = _org_around_midnight(make, zone, day)
    with time_machine.travel(datetime.combine(day + timedelta(days=3), time(12), UTC)):
        auth.login(coordinator)
        one_day = f"/map?start={day}&end={day}&bbox={BOX}&layer=handouts"
        assert _kits_on_page(client.get(one_day).get_data(as_text=True)) == 2 + 4
        before = day - timedelta(days=1)
        day_before = f"/map?start={before}&end={before}&bbox={BOX}&layer=handouts"
        assert _kits_on_page(client.get(day_before).get_data(as_text=True)) == 1
        two_days = f"/map?start={day}&end={day + timedelta(days=1)}&bbox={BOX}&layer=handouts"
        assert _kits_on_page(client.get(two_days).get_data(as_text=True)) == 2 + 4 + 8


@pytest.mark.parametrize("day", DAYS, ids=str)
@pytest.mark.parametrize("zone", ZONES)
def test_the_geojson_takes_the_organisations_local_days(client, auth, make, zone, day):
    coordinator = _org_around_midnight(make, zone, day)
    with time_machine.travel(datetime.combine(day + timedelta(days=3), time(12), UTC)):
        auth.login(coordinator)
        resp = client.get(
            "/map/cells.geojson",
            query_string={"layer": "handouts", "start": str(day), "end": str(day), "bbox": BOX},
        )
    assert resp.status_code == 200
    body = resp.get_json()
    assert sum(f["properties"]["count"] for f in body["features"]) == 2 + 4
    # The period it answers for, in UTC: from local midnight to the next local midnight.
    assert body["properties"]["start"] == _local(day, 0, 0, zone).isoformat()
    assert body["properties"]["end"] == _local(day + timedelta(days=1), 0, 0, zone).isoformat()


def test_the_days_tell_local_from_utc_in_every_case_but_london_in_winter():
    """A guard on the two tests above: a UTC-day filter would count something else."""
    for zone in ZONES:
        for day in DAYS:
            differs = _utc_day_kits(zone, day) != 6
            assert differs or (zone, day) == ("Europe/London", date(2027, 1, 14))


@pytest.mark.parametrize("zone", ZONES)
def test_a_spike_window_runs_across_local_midnight_and_is_shown_in_local_time(
    app, client, auth, make, zone
):
    org = make.org(timezone=zone, area="Swansea Bay")
    coordinator = make.user(role="coordinator", organisation=org)
    peer = make.user(organisation=org)
    day = date(2027, 7, 1)
    # Three reports within 30 minutes, two on the evening of 30 June and one on 1 July.
    for hh, mm, on in ((23, 40, day - timedelta(days=1)), (23, 55, day - timedelta(days=1)),
                       (0, 10, day)):  # fmt: skip
        db.session.add(
            OverdoseReport(
                org_id=org.id, recorded_by_id=peer.id, occurred_at=_local(on, hh, mm, zone),
                administered_by="peer", outcome="survived",
                latitude=SWANSEA[0], longitude=SWANSEA[1],
            )
        )  # fmt: skip
    make.commit()
    assert app.config["MAP_SPIKE_24H"] == 3
    now = _local(day, 0, 15, zone)
    with time_machine.travel(now, tick=False):
        alerts = detect_spikes(now=now, org_ids={org.id})
        make.commit()
        assert [(a.window, a.count) for a in alerts if a.window == "24h"][:1] == [("24h", 3)]
        auth.login(coordinator)
        page = client.get("/map/alerts").get_data(as_text=True)
    # English pages write dates the British way ("01/07/2027, 00:15").
    shown = format_datetime(now, "short", tzinfo=ZoneInfo(zone), locale="en_GB")
    as_utc = format_datetime(now, "short", tzinfo=UTC, locale="en_GB")
    assert shown in page and as_utc not in page, (shown, as_utc)


def test_a_geojson_time_without_an_offset_is_local_and_one_the_clocks_skip_is_refused(
    client, auth, make
):
    coordinator = _org_around_midnight(make, "Europe/Stockholm", date(2027, 7, 1))
    auth.login(coordinator)

    def kits(**when):
        resp = client.get(
            "/map/cells.geojson", query_string={"layer": "handouts", "bbox": BOX, **when}
        )
        return resp.status_code, resp.get_json()

    status, body = kits(start="2027-07-01T00:00", end="2027-07-01T12:00")
    assert status == 200 and sum(f["properties"]["count"] for f in body["features"]) == 2
    status, body = kits(start="2027-06-30T22:00:00Z", end="2027-07-01T10:00:00Z")  # the same
    assert status == 200 and sum(f["properties"]["count"] for f in body["features"]) == 2
    # 02:30 on 28 March 2027 never happened in Stockholm (the clocks went from 02:00 to 03:00).
    status, body = kits(start="2027-03-28T02:30", end="2027-07-01")
    assert status == 400 and [f["field"] for f in body["fields"]] == ["start"]
    assert "02:30 does not exist on this day: the clocks went forward an hour" in body["detail"]

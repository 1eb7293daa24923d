"""Spike alerts: raised at the threshold, once per window, again after acknowledgement."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from sqlalchemy import select

from outreach.domain import DomainError
from outreach.extensions import db
from outreach.maps.models import SpikeAlert
from outreach.maps.services import acknowledge_alert
from outreach.maps.spike_mail import build_message, send_pending_emails
from outreach.maps.spikes import check_after_report, detect_spikes
from outreach.models.base import utcnow
from outreach.overdoses.models import OverdoseReport
from tests.maps.conftest import CARDIFF, SWANSEA


def alerts(org_id):
    return db.session.scalars(select(SpikeAlert).where(SpikeAlert.org_id == org_id)).all()


def test_two_reports_raise_nothing_and_the_third_raises_a_24h_alert(orgs, place):
    a = orgs["a"]
    place.overdoses(a, *SWANSEA, n=2)
    assert detect_spikes() == []
    place.overdoses(a, *SWANSEA)
    raised = detect_spikes()
    mine = [x for x in raised if x.org_id == a.org_id and x.window == "24h"]
    assert {x.scope for x in mine} == {"area", "cell"}
    area = next(x for x in mine if x.scope == "area")
    assert (area.count, area.threshold, area.area) == (3, 3, "Swansea Bay")
    assert area.latitude == pytest.approx(SWANSEA[0], abs=0.01)


def test_detection_does_not_raise_the_same_alert_twice(orgs, place):
    place.overdoses(orgs["a"], *SWANSEA, n=3)
    first = detect_spikes()
    db.session.commit()
    assert first and detect_spikes() == []
    place.overdoses(orgs["a"], *SWANSEA)  # still open: a fourth report adds no new alert
    assert detect_spikes() == []


def test_a_new_alert_follows_acknowledgement_and_a_new_report(orgs, place):
    a = orgs["a"]
    place.overdoses(a, *SWANSEA, n=3)
    for alert in detect_spikes():
        acknowledge_alert(a, alert)
    db.session.commit()
    assert detect_spikes() == []  # acknowledged, and nothing new since
    place.overdoses(a, *SWANSEA)
    again = [x for x in detect_spikes() if x.scope == "area" and x.window == "24h"]
    assert len(again) == 1 and again[0].count == 4


def test_an_expired_alert_is_raised_again_when_new_reports_arrive(orgs, place):
    a = orgs["a"]
    place.overdoses(a, *SWANSEA, n=3)
    old = detect_spikes()
    for alert in old:
        alert.detected_at = utcnow() - timedelta(hours=25)
    db.session.commit()
    place.overdoses(a, *SWANSEA)
    assert any(x.window == "24h" and x.scope == "area" for x in detect_spikes())


def test_eight_reports_in_a_week_raise_a_7d_alert(orgs, place):
    a = orgs["a"]
    place.overdoses(a, *SWANSEA, n=8, when=utcnow() - timedelta(days=3))
    windows = {(x.scope, x.window) for x in detect_spikes()}
    assert ("area", "7d") in windows and ("area", "24h") not in windows


def test_alerts_follow_sharing_walls(orgs, place):
    a, b, c = orgs["a"], orgs["b"], orgs["c"]
    place.overdoses(a, *SWANSEA, n=3)
    detect_spikes()
    assert alerts(a.org_id) and alerts(c.org_id) == []  # same area, but not a partner
    # The partner sees a cell alert only once A's part reaches the suppression threshold.
    assert alerts(b.org_id) == []
    place.overdoses(a, *SWANSEA, n=2)
    detect_spikes()
    assert {x.scope for x in alerts(b.org_id)} == {"cell"}  # B's area is elsewhere


def test_check_after_report_raises_the_alert_for_the_reporting_organisation(orgs, place):
    a = orgs["a"]
    place.overdoses(a, *CARDIFF, n=2)
    (report,) = place.overdoses(a, *CARDIFF)
    raised = check_after_report(report)
    assert {x.org_id for x in raised} == {a.org_id}
    assert check_after_report(report) == []


def test_another_organisation_cannot_acknowledge_an_alert(orgs, place):
    place.overdoses(orgs["a"], *SWANSEA, n=3)
    alert = detect_spikes()[0]
    with pytest.raises(DomainError):
        acknowledge_alert(orgs["c"], alert)
    assert alert.acknowledged_at is None


def test_no_smtp_configured_sends_nothing_and_keeps_alerts_pending(orgs, place):
    place.overdoses(orgs["a"], *SWANSEA, n=3)
    detect_spikes()
    assert send_pending_emails() == 0
    assert all(x.emailed_at is None for x in alerts(orgs["a"].org_id))


def test_the_message_gives_counts_and_places_but_no_person_level_data(orgs, place):
    place.overdoses(orgs["a"], *SWANSEA, n=3)
    msg = build_message(detect_spikes(), "alerts@example.org", "team@example.org")
    body = msg.get_content()
    assert msg["To"] == "team@example.org" and "3 reports in 24 hours" in body
    assert "Swansea Bay" in body and "client" not in body.lower()


class FakeSMTP:
    sent: list = []
    fail = False

    def __init__(self, host, port, timeout):
        if FakeSMTP.fail:
            raise ConnectionRefusedError("no server")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_message(self, msg):
        FakeSMTP.sent.append(msg)


def test_configured_smtp_sends_once_and_a_failure_never_crashes(app, orgs, place, monkeypatch):
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "smtp.example.org")
    monkeypatch.setitem(app.config, "MAIL_ALERTS_TO", "team@example.org")
    place.overdoses(orgs["a"], *SWANSEA, n=3)
    detect_spikes()
    FakeSMTP.fail = True
    assert send_pending_emails() == 0
    FakeSMTP.fail, FakeSMTP.sent = False, []
    assert send_pending_emails() > 0 and len(FakeSMTP.sent) == 1
    assert send_pending_emails() == 0


def test_detect_spikes_command_reports_what_it_raised(app, orgs, place):
    from outreach.maps.cli import register_cli

    if "detect-spikes" not in app.cli.commands:
        register_cli(app)
    place.overdoses(orgs["a"], *SWANSEA, n=3)
    result = app.test_cli_runner().invoke(args=["detect-spikes"])
    assert result.exit_code == 0 and "new spike alert" in result.output
    assert alerts(orgs["a"].org_id)


# ---- A statistical method, tested on random data and on a planted signal ----------------


def _stream(user, rng, per_day: float, days: int, end, box=(51.57, -4.00, 51.67, -3.90)):
    """A steady random stream: Poisson arrivals at `per_day`, anywhere in a 0.1° box (about
    100 cells of the spike grid), for `days` days up to `end`. Returns the report times."""
    n = int(rng.poisson(per_day * days))
    offsets = np.sort(rng.uniform(0, days, n))
    south, west, north, east = box
    times = [end - timedelta(days=days - float(d)) for d in offsets]
    db.session.add_all(
        OverdoseReport(
            org_id=user.org_id,
            recorded_by_id=user.id,
            occurred_at=when,
            administered_by="peer",
            outcome="survived",
            latitude=float(rng.uniform(south, north)),
            longitude=float(rng.uniform(west, east)),
        )
        for when in times
    )
    db.session.commit()
    return times


@pytest.mark.parametrize(("per_day", "seed"), [(0.5, 1), (3, 2), (3, 3), (12, 4)])
def test_a_steady_random_stream_raises_no_alert(orgs, per_day, seed):
    # A fixed count alone (3 in 24 hours, 8 in 7 days) would fire every day at 3 a day: the
    # count must also be improbable at the area's and the cell's usual rate.
    # Checked every 36 hours over the last two months of a four-month stream, once the area
    # has a usual rate (see spikes.BASELINE for an organisation's first weeks).
    a = orgs["a"]
    end = utcnow()
    _stream(a, np.random.default_rng(seed), per_day, 120, end)
    raised = []
    for half_days in range(0, 120, 3):
        raised += detect_spikes(now=end - timedelta(hours=12 * half_days), org_ids={a.org_id})
    assert raised == []


def test_a_burst_on_top_of_a_steady_stream_is_an_alert(orgs):
    a = orgs["a"]
    end = utcnow()
    rng = np.random.default_rng(9)
    _stream(a, rng, 3, 120, end - timedelta(hours=13))
    assert detect_spikes(now=end - timedelta(hours=13), org_ids={a.org_id}) == []
    # Eight overdoses in half a day in one street, on top of the usual three a day.
    db.session.add_all(
        OverdoseReport(
            org_id=a.org_id,
            recorded_by_id=a.id,
            occurred_at=end - timedelta(hours=12) + timedelta(minutes=80 * i),
            administered_by="peer",
            outcome="survived",
            latitude=SWANSEA[0],
            longitude=SWANSEA[1],
        )
        for i in range(8)
    )
    db.session.commit()
    raised = detect_spikes(now=end, org_ids={a.org_id})
    cells = [x for x in raised if x.scope == "cell" and x.window == "24h"]
    assert cells and cells[0].count >= 8
    assert cells[0].threshold <= cells[0].count


def test_the_alert_email_gives_the_start_in_the_organisations_local_time(orgs, place):
    a = orgs["a"]
    org = a.organisation
    org.timezone = "Europe/Stockholm"
    db.session.commit()
    reports = place.overdoses(a, *SWANSEA, n=3)
    msg = build_message(detect_spikes(), "alerts@example.org", "team@example.org")
    first = min(r.occurred_at for r in reports).astimezone(ZoneInfo("Europe/Stockholm"))
    assert first.strftime("%Y-%m-%d %H:%M %Z") in msg.get_content()  # CET in winter, CEST in summer

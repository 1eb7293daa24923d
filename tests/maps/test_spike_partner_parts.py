"""Spike alerts and partners' parts: a hidden part neither raises an alert nor moves its start;
a shown part counts rounded, and its start only as a whole local day."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from outreach.extensions import db
from outreach.maps.models import SpikeAlert
from outreach.maps.services import acknowledge_alert
from outreach.maps.spikes import detect_spikes
from outreach.models.base import utcnow
from tests.maps.conftest import SWANSEA


def test_one_partner_report_after_acknowledgement_raises_no_new_alert(orgs, place):
    a, b = orgs["a"], orgs["b"]
    place.overdoses(a, *SWANSEA, n=3)
    for alert in detect_spikes():
        acknowledge_alert(a, alert)
    db.session.commit()
    place.overdoses(b, *SWANSEA)  # the partner's part (1) is under the suppression threshold
    raised = detect_spikes()
    assert [x for x in raised if x.org_id == a.org_id] == []


def test_a_suppressed_partner_report_does_not_move_the_alerts_start(orgs, place):
    a, b = orgs["a"], orgs["b"]
    partner_time = utcnow() - timedelta(hours=20)
    own_time = utcnow() - timedelta(hours=2)
    place.overdoses(b, *SWANSEA, when=partner_time)
    place.overdoses(a, *SWANSEA, n=3, when=own_time)
    detect_spikes()
    cell = db.session.scalar(
        select(SpikeAlert).where(
            SpikeAlert.org_id == a.org_id, SpikeAlert.scope == "cell", SpikeAlert.window == "24h"
        )
    )
    assert cell is not None and cell.count == 3
    started = cell.started_at.replace(tzinfo=None)
    assert abs(started - own_time.replace(tzinfo=None)) < timedelta(seconds=1)


def test_a_shown_partner_part_counts_rounded_and_sets_the_start_as_its_local_day(orgs, place):
    a, b = orgs["a"], orgs["b"]
    partner_time = utcnow() - timedelta(hours=20)
    place.overdoses(b, *SWANSEA, n=10, when=partner_time)  # 10 +-2 rounds to 10 whatever
    place.overdoses(a, *SWANSEA, n=1)
    detect_spikes()
    cell = db.session.scalar(
        select(SpikeAlert).where(
            SpikeAlert.org_id == a.org_id, SpikeAlert.scope == "cell", SpikeAlert.window == "24h"
        )
    )
    assert cell is not None and cell.count == 11
    tz = ZoneInfo(a.organisation.timezone)
    day = datetime.combine(partner_time.astimezone(tz).date(), time.min, tz)
    started = (
        cell.started_at.replace(tzinfo=UTC) if cell.started_at.tzinfo is None else cell.started_at
    )
    assert started == day  # not the partner's report's own time

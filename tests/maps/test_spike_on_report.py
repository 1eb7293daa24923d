"""Reports saved through the page raise a spike alert at the 24-hour threshold."""

from __future__ import annotations

from sqlalchemy import select

from outreach.extensions import db
from outreach.maps.models import SpikeAlert


def test_third_report_in_24_hours_raises_one_alert_for_the_area(app, client, auth, make):
    org = make.org()
    site = make.site(organisation=org)
    peer = make.user(organisation=org)
    make.commit()
    auth.login(peer)
    threshold = app.config["MAP_SPIKE_24H"]
    for i in range(threshold):
        assert db.session.scalars(select(SpikeAlert).where(SpikeAlert.window == "24h")).all() == []
        resp = client.post("/overdoses/new", data={"administered_by": "peer", "site_id": site.id})
        assert resp.status_code == 302, i
    alerts = db.session.scalars(
        select(SpikeAlert).where(SpikeAlert.org_id == org.id, SpikeAlert.window == "24h")
    ).all()
    assert alerts and all(a.count >= threshold for a in alerts)
    keys = {(a.scope, a.key) for a in alerts}
    assert len(keys) == len(alerts)  # one alert per area or cell, not one per report

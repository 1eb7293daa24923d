"""The platform administrator reads no organisation's person-level records, their own
organisation's included, through the API or the pages; aggregates (suppressed) remain."""

from __future__ import annotations

import pytest

from outreach.extensions import db
from tests import factories
from tests.api.conftest import Api, token_for


@pytest.fixture
def home(make):
    """The platform administrator's own organisation, with one record of each kind."""
    org = make.org(tracks_stock=True)
    peer = make.user("peer", organisation=org)
    admin = make.user("platform_admin", organisation=org)
    handout = factories.HandoutFactory(giver=peer, place_name="Admin-org handout place")
    contact = factories.ContactFactory(recorder=peer, notes="Admin-org contact notes")
    overdose = factories.OverdoseReportFactory(recorder=peer, place_name="Admin-org overdose")
    session = factories.TrainingSessionFactory(
        trainer=make.user("trainer", organisation=org), place="Admin-org hall", attendees=[peer]
    )
    db.session.commit()
    return admin, handout, contact, overdose, session


@pytest.mark.parametrize("path", ["/handouts", "/contacts", "/overdose-reports"])
def test_the_api_refuses_the_platform_admin_every_list_of_records(client, home, path):
    api = Api(client, token_for(client, home[0]))
    res = api.get(path)
    assert res.status_code == 403
    assert res.get_json()["detail"] == "Your role may not do this."


def test_the_api_lets_the_platform_admin_correct_or_void_no_record_of_their_organisation(
    client, home
):
    admin, handout, contact, overdose, _session = home
    api = Api(client, token_for(client, admin))
    for path, record in (("handouts", handout), ("contacts", contact)):
        assert api.client.patch(
            f"/api/v1/{path}/{record.id}", json={}, headers=api.headers()
        ).status_code in (403, 404)
        assert api.post(f"/{path}/{record.id}/void", {"reason": "x"}).status_code in (403, 404)
    db.session.expire_all()
    assert handout.voided_at is None and contact.voided_at is None


def test_the_platform_admin_still_reads_aggregates_through_the_api(client, home):
    api = Api(client, token_for(client, home[0]))
    res = api.get("/reports/monthly?month=2026-11&scope=all")
    assert res.status_code == 200
    assert res.get_json()["scope"]["kind"] == "all"
    assert res.get_json()["suppressed_below"] == 5


def test_the_pages_show_the_platform_admin_no_training_record_or_record_point(client, auth, home):
    admin, _handout, _contact, _overdose, session = home
    auth.login(admin)
    assert client.get(f"/trainings/{session.id}").status_code == 404
    assert "Admin-org hall" not in client.get("/trainings/").get_data(as_text=True)
    assert client.get("/trainings/lapsing").status_code == 403
    page = client.get("/map?f=1&layer=handouts&layer=points&layer=overdoses")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Admin-org" not in html
    assert "Your organisation's records:" not in html  # no layer of own points is drawn

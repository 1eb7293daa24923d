"""An overdose report's type of place and follow-on care (taken to hospital, referred), and the
person's age band and sex on the local day of the overdose, never the birth date: asked, stored,
shown and corrected."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from outreach.clientcode import code_digest
from outreach.extensions import db
from outreach.overdoses.models import OverdoseReport
from tests.corrections.conftest import audit_events, overdose_form

# A summer day in Europe/London (the factories' zone): local midnight is 23:00 UTC the day before.
pytestmark = pytest.mark.pinned("2026-07-20T10:00:00+00:00")


def _peer(make):
    peer = make.user(organisation=make.org())
    make.commit()
    return peer


def _post(client, **fields):
    data = {"administered_by": "peer", "latitude": "51.62", "longitude": "-3.94", **fields}
    return client.post("/overdoses/new", data=data)


def test_the_form_asks_for_the_place_and_what_followed_among_the_details(client, auth, make):
    auth.login(_peer(make))
    page = client.get("/overdoses/new").get_data(as_text=True)
    details = page.index("<details")
    for name in ("place_type", "referred", "taken_to_hospital"):
        assert details < page.index(f'name="{name}"')
    assert "Street or public place" in page and "Taken to hospital" in page


def test_place_follow_on_care_and_the_person_are_stored_and_shown(client, auth, make):
    auth.login(_peer(make))
    code = {"client_initials": "JS", "client_dob": "2008-07-15", "client_sex": "M"}
    resp = _post(
        client,
        occurred_at="2026-07-15T00:30",  # 14 July in UTC: the 18th birthday is local
        place_type="hostel",
        taken_to_hospital="yes",
        referred="no",
        **code,
    )
    assert resp.status_code == 302
    row = dict(db.session.execute(select(OverdoseReport.__table__)).mappings().one())
    assert row["occurred_at"].replace(tzinfo=UTC) == datetime(2026, 7, 14, 23, 30, tzinfo=UTC)
    assert (row["place_type"], row["taken_to_hospital"], row["referred"]) == ("hostel", 1, 0)
    assert (row["age_band"], row["sex"]) == ("18_24", "M")
    assert not any(isinstance(v, str) and "2008-07-15" in v for v in row.values())
    assert date(2008, 7, 15) not in row.values()
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Hostel or supported housing" in page and "18–24" in page and "Male" in page
    assert "2008" not in page


@pytest.mark.parametrize(("answer", "stored"), [("yes", True), ("no", False), ("unknown", None)])
def test_referred_and_taken_to_hospital_are_yes_no_or_not_known(client, auth, make, answer, stored):
    auth.login(_peer(make))
    assert _post(client, referred=answer, taken_to_hospital=answer).status_code == 302
    report = db.session.scalar(select(OverdoseReport))
    assert report.referred is stored and report.taken_to_hospital is stored
    assert report.place_type is None and report.age_band is None and report.sex is None


def test_the_band_the_script_filled_in_is_kept_and_an_unreadable_one_refused(client, auth, make):
    auth.login(_peer(make))
    digest = code_digest("JS", date(1960, 1, 1), "F")
    resp = _post(client, client_code_digest=digest, age_band="55+", sex="F")
    assert resp.status_code == 422
    assert "The age band could not be read" in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(OverdoseReport)) == 0
    resp = _post(client, client_code_digest=digest, age_band="55_plus", sex="F")
    assert resp.status_code == 302
    report = db.session.scalar(select(OverdoseReport))
    assert (report.age_band, report.sex) == ("55_plus", "F")


def test_a_correction_shows_and_changes_the_answers_and_keeps_the_band(client, auth, make):
    peer = _peer(make)
    auth.login(peer)
    code = {"client_initials": "JS", "client_dob": "1990-01-01", "client_sex": "F"}
    where = {"place_name": "Kingsway", "place_type": "public"}
    _post(client, occurred_at="2026-07-19T12:00", referred="yes", **where, **code)
    report = db.session.scalar(select(OverdoseReport))
    url = f"/overdoses/{report.id}/edit"
    page = client.get(url).get_data(as_text=True)
    assert 'checked id="referred-0" name="referred" type="radio" value="yes"' in page
    assert '<option selected value="public">' in page
    assert 'name="age_band" type="hidden" value=""' in page  # never filled from the record

    form = overdose_form(report, referred="yes", place_type="service", taken_to_hospital="yes")
    assert client.post(url, data=form).status_code == 302
    db.session.expire_all()
    assert (report.place_type, report.taken_to_hospital) == ("service", True)
    assert (report.age_band, report.sex) == ("35_44", "F")

    retyped = {"client_initials": "JS", "client_dob": "2000-01-01", "client_sex": "X"}
    form = overdose_form(report, referred="yes", place_type="service", **retyped)
    form["taken_to_hospital"] = "yes"
    assert client.post(url, data=form).status_code == 302
    db.session.expire_all()
    assert (report.age_band, report.sex) == ("25_34", "X")
    details = [e.detail for e in audit_events("overdose_report", report.id, "update")]
    assert details == [
        "taken_to_hospital: — → True; place_type: public → service",
        "age_band: 35_44 → 25_34; sex: F → X; client code changed",
    ]

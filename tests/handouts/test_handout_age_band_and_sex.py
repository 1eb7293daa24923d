"""A single handout keeps the person's age band and sex, never the birth date: worked out on the
server from a typed birth date (a page without the script) on the organisation's local day of
the supply, or taken from the fields the tablet's script fills; a correction with a code typed
anew works the band out again."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from outreach.clientcode import code_digest
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.handouts.services import HandoutInput, record_handout
from outreach.places import Location
from tests.corrections.conftest import audit_events, handout_form

# A summer day in Europe/London (the factories' zone): local midnight is 23:00 UTC the day before.
pytestmark = pytest.mark.pinned("2026-07-20T10:00:00+00:00")

BIRTH = date(1990, 3, 9)


def _setup(make):
    org = make.org()
    peer = make.user(organisation=org)
    product = make.product()
    make.commit()
    return peer, product


def _post(client, product, **fields):
    data = {
        "product_id": product.id,
        "quantity": 1,
        "supply": "first",
        "latitude": "51.62",
        "longitude": "-3.94",
        **fields,
    }
    return client.post("/handouts/new", data=data)


def _code(birth: date = BIRTH, sex: str = "F") -> dict:
    return {"client_initials": "QZ", "client_dob": birth.isoformat(), "client_sex": sex}


def _row() -> dict:
    """The one handout's row, every column, as the database holds it."""
    return dict(db.session.execute(select(Handout.__table__)).mappings().one())


def test_a_birth_date_typed_without_the_script_is_kept_only_as_an_age_band_and_sex(
    client, auth, make
):
    peer, product = _setup(make)
    auth.login(peer)
    resp = _post(client, product, occurred_at="2026-07-19T12:00", **_code())
    assert resp.status_code == 302
    row = _row()
    assert (row["age_band"], row["sex"]) == ("35_44", "F")  # 36 on 19 July 2026
    assert row["client_hash"] is not None
    assert not [name for name in row if "birth" in name or "dob" in name]
    for value in row.values():
        assert value != BIRTH
        assert not isinstance(value, str) or not any(
            shown in value for shown in ("1990-03-09", "09/03/1990", "1990|", "QZ")
        )
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "35–44" in page and "Female" in page and "1990" not in page


@pytest.mark.parametrize(
    ("typed", "utc", "band"),
    [
        # Already 15 July in London, still 14 July in UTC: the 18th birthday has come.
        ("2026-07-15T00:30", datetime(2026, 7, 14, 23, 30, tzinfo=UTC), "18_24"),
        ("2026-07-14T23:30", datetime(2026, 7, 14, 22, 30, tzinfo=UTC), "under_18"),
    ],
)
def test_the_band_is_the_one_on_the_local_day_of_the_supply(client, auth, make, typed, utc, band):
    peer, product = _setup(make)
    auth.login(peer)
    assert _post(client, product, occurred_at=typed, **_code(date(2008, 7, 15))).status_code == 302
    handout = db.session.scalar(select(Handout))
    assert handout.occurred_at == utc
    assert handout.age_band == band


@pytest.mark.parametrize(
    ("typed", "band"),
    [("2026-02-28T12:00", "under_18"), ("2026-03-01T12:00", "18_24")],
)
def test_someone_born_on_29_february_turns_18_on_1_march_in_a_common_year(
    client, auth, make, typed, band
):
    org = make.org()
    peer = make.user(organisation=org, trained=False)
    make.train(peer, held_on=date(2026, 1, 5))
    product = make.product()
    make.commit()
    auth.login(peer)
    assert _post(client, product, occurred_at=typed, **_code(date(2008, 2, 29))).status_code == 302
    assert db.session.scalar(select(Handout.age_band)) == band


def test_the_band_and_sex_the_script_filled_in_are_kept_with_its_digest(client, auth, make):
    peer, product = _setup(make)
    auth.login(peer)
    digest = code_digest("QZ", BIRTH, "M")
    resp = _post(client, product, client_code_digest=digest, age_band="45_54", sex="M")
    assert resp.status_code == 302
    handout = db.session.scalar(select(Handout))
    assert (handout.age_band, handout.sex) == ("45_54", "M")
    assert handout.client_hash is not None


@pytest.mark.parametrize(
    ("hidden", "message"),
    [
        ({"age_band": "25-34"}, "The age band could not be read. Type the date of birth again."),
        ({"age_band": "25_34", "sex": "Q"}, "Choose a value for sex."),
    ],
)
def test_an_unreadable_band_or_sex_is_refused_by_the_field_that_gives_it(
    client, auth, make, hidden, message
):
    peer, product = _setup(make)
    auth.login(peer)
    resp = _post(client, product, client_code_digest=code_digest("QZ", BIRTH, "F"), **hidden)
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Handout)) == 0


def _handout(peer, product, **kw) -> Handout:
    data = HandoutInput(
        product_id=product.id,
        quantity=1,
        supply="first",
        location=Location(51.62, -3.94, "gps", None, "Kingsway"),
        occurred_at=datetime(2026, 7, 18, 12, 0, tzinfo=UTC),
        **kw,
    )
    handout = record_handout(data, giver=peer, recorded_by=peer)
    db.session.commit()
    return handout


def test_a_correction_keeps_the_band_unless_a_code_is_typed_anew(client, auth, make):
    peer, product = _setup(make)
    handout = _handout(peer, product, age_band="25_34", sex="F", client_hash="a" * 64)
    auth.login(peer)
    url = f"/handouts/{handout.id}/edit"

    assert client.post(url, data=handout_form(handout, quantity=2)).status_code == 302
    db.session.expire_all()
    assert (handout.quantity, handout.age_band, handout.sex) == (2, "25_34", "F")

    # A code typed anew (no script): the band on the handout's local day, 18 July 2026.
    retyped = handout_form(handout, **_code(date(1971, 7, 19), "M"))
    assert client.post(url, data=retyped).status_code == 302
    db.session.expire_all()
    assert (handout.age_band, handout.sex) == ("45_54", "M")  # 55 only the next day

    # Removing the code keeps what counts in the figures.
    assert client.post(url, data=handout_form(handout, clear_client_code="y")).status_code == 302
    db.session.expire_all()
    assert (handout.client_hash, handout.age_band, handout.sex) == (None, "45_54", "M")
    details = [e.detail for e in audit_events("handout", handout.id, "update")]
    assert details == [
        "quantity: 1 → 2",
        "age_band: 25_34 → 45_54; sex: F → M; client code changed",
        "client code changed",
    ]


def test_a_correction_to_another_day_works_the_band_out_on_that_day(client, auth, make):
    peer, product = _setup(make)
    handout = _handout(peer, product)
    auth.login(peer)
    form = handout_form(handout, occurred_at="2026-07-19T09:00", **_code(date(1971, 7, 19)))
    assert client.post(f"/handouts/{handout.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert (handout.age_band, handout.sex) == ("55_plus", "F")


def test_a_tally_keeps_no_age_band_or_sex(app, make):
    peer, product = _setup(make)
    tally = _handout(peer, product, kind="tally", people_count=3, age_band="25_34", sex="F")
    assert (tally.age_band, tally.sex) == (None, None)

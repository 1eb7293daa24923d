"""Two organisations with records at a site, at a typed place and at a bare GPS point."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import pytest

from outreach.contacts.services import ContactInput, record_contact
from outreach.corrections.services import void as void_record
from outreach.extensions import db
from outreach.overdoses.services import OverdoseInput, record_overdose
from outreach.places import Location
from tests import factories

AT_SITE = "Swansea Hub"


@dataclass
class World:
    org: object
    other_org: object
    site: object
    peer: object
    other_peer: object
    coordinator: object
    outsider: object
    product: object


@pytest.fixture
def world(make) -> World:
    org = make.org(name="Swansea Peer Network")
    other = make.org(name="Cardiff Outreach")
    site = make.site(organisation=org, name=AT_SITE, latitude=51.6214, longitude=-3.9436)
    w = World(
        org=org,
        other_org=other,
        site=site,
        peer=make.user(organisation=org, display_name="Dafydd Peer"),
        other_peer=make.user(organisation=org, display_name="Siân Peer"),
        coordinator=make.user(role="coordinator", organisation=org, display_name="Coord Jones"),
        outsider=make.user(organisation=other, display_name="Cardiff Peer"),
        product=make.product(name="Nyxoid 1.8 mg nasal spray"),
    )
    make.commit()
    return w


def at_site(site) -> Location:
    return Location(site.latitude, site.longitude, "site", site.id, None)


def at_place(name: str = "Mumbles", lat: float = 51.5713, lon: float = -3.9937) -> Location:
    return Location(lat, lon, "place", None, name)


def at_gps(lat: float = 51.61234, lon: float = -3.95678) -> Location:
    return Location(lat, lon, "gps", None, None)


def add_handout(giver, product, loc: Location, *, recorder=None, **kw):
    """A handout given by `giver` (recorded by `recorder`, by default the giver)."""
    handout = factories.HandoutFactory(
        giver=giver,
        product=product,
        recorded_by_id=(recorder or giver).id,
        latitude=loc.latitude,
        longitude=loc.longitude,
        location_source=loc.source,
        site_id=loc.site_id,
        place_name=loc.place_name,
        **kw,
    )
    db.session.commit()
    return handout


def add_contact(user, loc: Location, **kw):
    contact = record_contact(ContactInput(location=loc, **kw), recorded_by=user)
    db.session.commit()
    return contact


def add_report(user, loc: Location, **kw):
    kw.setdefault("administered_by", "peer")
    report = record_overdose(OverdoseInput(location=loc, **kw), recorded_by=user)
    db.session.commit()
    return report


def void(record, by, record_type: str) -> None:
    void_record(record, by=by, reason="recorded twice", record_type=record_type)
    db.session.commit()


def read_csv(resp, delimiter: str = ",") -> list[list[str]]:
    assert resp.status_code == 200, resp.status_code
    assert resp.mimetype == "text/csv"
    return list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig")), delimiter=delimiter))


def by_heading(rows: list[list[str]]) -> list[dict[str, str]]:
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]

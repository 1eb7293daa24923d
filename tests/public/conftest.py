"""Sites of several organisations at real places, some of them public."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

SWANSEA = (51.6195, -3.9430)
CARDIFF = (51.4760, -3.1790)
GOTEBORG = (57.7089, 11.9730)


@pytest.fixture
def places(make):
    """Public sites of two organisations in Swansea, Cardiff and Göteborg, and sites that must
    never show: not public, closed, or of a closed organisation."""
    wales, sweden = make.org(name="Swansea Peer Network"), make.org(name="Göteborg uppsök")
    closed_org = make.org(name="Closed Charity", active=False)

    def site(org, name, point, **kw):
        return make.site(organisation=org, name=name, latitude=point[0], longitude=point[1], **kw)

    sites = SimpleNamespace(
        swansea=site(
            wales, "Swansea hub", SWANSEA, public=True, opening_hours="mon=09:00-17:00;"
            "tue=09:00-17:00;wed=09:00-17:00;thu=09:00-17:00;fri=09:00-17:00;sat=10:00-13:00",
            languages="en,cy,pl", offers_nasal=True, offers_training=True,
            address="12 Orchard Street", accessibility="Step-free entrance",
        ),
        cardiff=site(wales, "Cardiff hub", CARDIFF, public=True, offers_injectable=True),
        goteborg=site(sweden, "Centralstationen", GOTEBORG, public=True, languages="sv,ar"),
        hidden=site(wales, "Prison gate", SWANSEA, public=False),
        closed=site(wales, "Old hostel", SWANSEA, public=True, active=False),
        orphan=site(closed_org, "Gone hub", CARDIFF, public=True),
    )  # fmt: skip
    make.commit()
    return sites

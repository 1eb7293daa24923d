"""A programme whose people, ages, areas and periods are known, for the returns' tests.

Three organisations: Swansea (Swansea Bay health board: a hub in Swansea, a prison gate in Neath
Port Talbot), Cardiff (Cardiff and Vale: not a partner of Swansea, so its records reach a
Swansea return only through who is new) and Göteborg (Europe/Stockholm: Göteborg and Borås
kommuner in Västra Götaland). The return asked for is UK financial year 2025/26 (April 2025 to
March 2026) and Swedish calendar year 2025.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from outreach.areas.models import Area
from outreach.areas.services import load_areas
from outreach.extensions import db
from outreach.handouts import firsts
from tests import factories

FY = "FY2025"


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@dataclass
class Programme:
    swansea: object
    cardiff: object
    goteborg: object
    coordinator: object
    sv_coordinator: object
    areas: dict


def _area(code: str) -> Area:
    return db.session.query(Area).filter_by(code=code).one()


@pytest.fixture
def programme(app):
    load_areas(db.session)
    areas = {
        code: _area(code)
        for code in (
            "W06000011",  # Swansea
            "W06000012",  # Neath Port Talbot
            "W06000015",  # Cardiff
            "W11000031",  # Swansea Bay University Health Board
            "SE-1480",  # Göteborg
            "SE-1490",  # Borås
        )
    }
    areas["W11000031"].at_risk_estimate = 1000
    swansea = factories.OrganisationFactory(name="Swansea", area_id=areas["W06000011"].id)
    cardiff = factories.OrganisationFactory(name="Cardiff", area_id=areas["W06000015"].id)
    goteborg = factories.OrganisationFactory(
        name="Göteborg", timezone="Europe/Stockholm", area_id=areas["SE-1480"].id
    )
    hub = factories.SiteFactory(organisation=swansea, area_id=areas["W06000011"].id)
    gate = factories.SiteFactory(
        organisation=swansea, area_id=areas["W06000012"].id, outlet_type="prison"
    )
    boras = factories.SiteFactory(organisation=goteborg, area_id=areas["SE-1490"].id)
    nasal = factories.ProductFactory(route="intranasal")
    needle = factories.ProductFactory(name="Prenoxad", route="intramuscular")
    peer = factories.UserFactory(organisation=swansea, site_id=hub.id)
    stranger = factories.UserFactory(organisation=cardiff)
    sv_peer = factories.UserFactory(organisation=goteborg)
    coordinator = factories.UserFactory(organisation=swansea, role="coordinator")
    sv_coordinator = factories.UserFactory(organisation=goteborg, role="coordinator")

    def give(giver, when, **kw):
        kw.setdefault("product", nasal)
        kw.setdefault("recipient_type", "at_risk")
        return factories.HandoutFactory(giver=giver, occurred_at=when, **kw)

    # Person 1 ("a"*64): first supplied at the hub at 00:30 on 1 April 2025 in Swansea (23:30
    # UTC the day before: in the year locally), 25-34, male; again at the prison gate in June
    # after using the kit on someone else.
    give(
        peer,
        at(2025, 3, 31, 23, 30),
        site_id=hub.id,
        client_hash="a" * 64,
        age_band="25_34",
        sex="M",
    )
    give(
        peer,
        at(2025, 6, 10, 9),
        site_id=gate.id,
        setting="prison_release",
        supply="repeat",
        repeat_reason="used_other",
        client_hash="a" * 64,
        age_band="25_34",
        sex="M",
    )
    # Person 2: first supplied by Cardiff in December 2024, so not new when Swansea supplies
    # her in May 2025 (a family member, injectable, her kit lost).
    give(stranger, at(2024, 12, 1, 12), client_hash="b" * 64, age_band="18_24", sex="F")
    give(
        peer,
        at(2025, 5, 5, 12),
        product=needle,
        supply="repeat",
        repeat_reason="lost",
        recipient_type="family_friend",
        client_hash="b" * 64,
        age_band="18_24",
        sex="F",
    )
    # Person 3: 00:30 on 1 April 2026 in Swansea: the next financial year.
    give(peer, at(2026, 3, 31, 23, 30), client_hash="c" * 64, age_band="35_44", sex="M")
    # Person 4: under 18, first supply in February 2026 with no site: the giver's base (hub).
    give(peer, at(2026, 2, 28, 15), client_hash="d" * 64, age_band="under_18", sex="X")
    # A supply without a code, a tally of 5 kits at the gate, and a voided supply.
    give(peer, at(2025, 7, 1, 12), site_id=hub.id)
    factories.TallyFactory(
        giver=peer, product=nasal, occurred_at=at(2025, 8, 1, 12), site_id=gate.id, quantity=5
    )
    void = give(peer, at(2025, 9, 1, 12), site_id=hub.id, client_hash="e" * 64, quantity=3)
    void.voided_at, void.voided_by_id, void.void_reason = at(2025, 9, 2), peer.id, "typo"
    # Cardiff in the year too: not Swansea's to see.
    give(stranger, at(2025, 10, 1, 12), client_hash="f" * 64, quantity=2)
    # The previous financial year: one supply at the hub in March 2025 (no code).
    give(peer, at(2025, 3, 15, 12), site_id=hub.id)
    # Overdoses: at home, ambulance called, survived, a woman of 18-24; in public, stayed,
    # taken to hospital, died, age not known.
    factories.OverdoseReportFactory(
        recorder=peer,
        occurred_at=at(2025, 11, 3, 20),
        site_id=hub.id,
        place_type="own_home",
        emergency_called=True,
        someone_stayed=False,
        referred=True,
        outcome="survived",
        age_band="18_24",
        sex="F",
    )
    factories.OverdoseReportFactory(
        recorder=peer,
        occurred_at=at(2026, 1, 9, 2),
        site_id=gate.id,
        place_type="public",
        emergency_called=None,
        someone_stayed=True,
        taken_to_hospital=True,
        outcome="died",
        route="intramuscular",
    )
    # Göteborg: a person in Borås at 00:30 on 1 January 2025 Swedish time (23:30 UTC on New
    # Year's Eve), twice; one in Göteborg (the org's home kommun) in December 2025.
    give(
        sv_peer,
        at(2024, 12, 31, 23, 30),
        site_id=boras.id,
        client_hash="g" * 64,
        age_band="45_54",
        sex="M",
    )
    give(
        sv_peer,
        at(2025, 6, 1, 12),
        site_id=boras.id,
        supply="repeat",
        repeat_reason="used_self",
        client_hash="g" * 64,
        age_band="45_54",
        sex="M",
    )
    give(sv_peer, at(2025, 12, 31, 22, 59), client_hash="h" * 64, age_band="55_plus", sex="F")
    # ... and one at 23:00 UTC on 31 December 2025: 2026 in Sweden.
    give(sv_peer, at(2025, 12, 31, 23, 0), client_hash="k" * 64)
    db.session.commit()
    firsts.refresh_all(db.session.connection())  # as the seed does: the same answer
    db.session.commit()
    return Programme(swansea, cardiff, goteborg, coordinator, sv_coordinator, areas)

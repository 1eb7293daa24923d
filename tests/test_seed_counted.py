"""The seeds fill what the national returns count by: areas, outlet types, age bands and sexes,
what followed an overdose, and who is a new person; `flask areas-load` loads the areas."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, datetime

import numpy as np
import pytest
from sqlalchemy import func, select

from outreach.areas.models import Area
from outreach.areas.services import read_areas, record_area_id
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.orgs.models import Organisation, Site
from outreach.overdoses.models import OverdoseReport
from outreach.seed import generate
from outreach.seed.places import DEMO_ORGS, TOWNS
from outreach.vocab import AGE_BANDS, PLACE_TYPES, SEX

BANDS = list(AGE_BANDS)  # youngest first
AREAS = {row["code"]: row for row in read_areas()}
COUNTRY_AREAS = {"GB-WLS": "W92000004", "GB-SCT": "S92000003", "GB-ENG": "E92000001", "SE": "SE"}


@pytest.fixture(params=["demo", "national"])
def seeded(request, runner):
    """The demo, or a small national set (3,000 handouts over 12 months, as tests/test_seed.py
    runs it)."""
    args = ["seed-demo"] + (["--handouts", "3000", "--months", "12"] * (request.param != "demo"))
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    return request.param


@pytest.mark.parametrize(
    ("name", "country", "code"),
    [(o.city, o.country, o.area_code) for o in DEMO_ORGS]
    + [(t.name, t.country, t.area_code) for t in TOWNS],
)
def test_every_seed_town_is_a_local_authority_of_the_bundled_list_in_its_country(
    name, country, code
):
    area = AREAS[code]
    assert area["level"] == "local_authority"
    nation = AREAS[AREAS[area["parent"]]["parent"]]
    assert nation["level"] == "country"
    assert nation["code"] == COUNTRY_AREAS[country], name


def test_the_seed_towns_name_their_own_health_board_or_region():
    """Where a town's area is a health board or a region, it is its local authority's."""
    for town in TOWNS:
        if town.country != "GB-ENG":
            assert AREAS[AREAS[town.area_code]["parent"]]["name_en"] == town.area, town.name


def test_the_national_set_has_scottish_towns():
    scottish = {t.name: t.area_code for t in TOWNS if t.country == "GB-SCT"}
    assert scottish == {"Glasgow": "S12000049", "Dundee": "S12000042"}


def test_every_site_and_organisation_is_in_the_area_of_its_town(seeded):
    home = dict(db.session.execute(select(Organisation.id, Organisation.area_id)).all())
    sites = db.session.execute(select(Site.org_id, Site.area_id)).all()
    assert None not in home.values() and sites
    assert all(area == home[org] for org, area in sites)
    codes = dict(db.session.execute(select(Area.id, Area.code)).all())
    wanted = {o.area_code for o in DEMO_ORGS} if seeded == "demo" else {t.area_code for t in TOWNS}
    assert {codes[a] for a in home.values()} == wanted


def test_prison_gates_hospitals_and_pharmacies_have_their_outlet_type(seeded):
    outlets = dict(db.session.execute(select(Site.name, Site.outlet_type)).all())
    kinds = {"gate": "prison", "häkte": "prison", "in-reach": "hospital", "sjukhus": "hospital"}
    kinds |= {"Sahlgrenska": "hospital", "pharmacy": "pharmacy", "apotek": "pharmacy"}
    for name, outlet in outlets.items():
        expected = next((kind for word, kind in kinds.items() if word in name), None)
        assert outlet == expected, name
    assert {"prison", "hospital"} <= set(outlets.values())


def test_every_supply_and_overdose_report_counts_where_the_one_rule_puts_it(seeded):
    for model, person in (
        (Handout, Handout.giver_id),
        (OverdoseReport, OverdoseReport.recorded_by_id),
    ):
        rows = db.session.execute(select(model.org_id, model.site_id, person, model.area_id)).all()
        assert rows and all(area is not None for *_, area in rows)
        for org, site, who, area in rows:
            assert area == record_area_id(db.session, org, site, who)


def test_new_person_marks_exactly_the_first_live_supply_of_each_client_code(seeded):
    rows = db.session.execute(
        select(Handout.id, Handout.client_hash, Handout.occurred_at, Handout.new_person).where(
            Handout.voided_at.is_(None)
        )
    ).all()
    first: dict[str, tuple] = {}
    for id_, code, when, _ in rows:
        if code is not None:
            first[code] = min(first.get(code, (when, id_)), (when, id_))
    expected = {id_: (None if code is None else first[code][1] == id_) for id_, code, *_ in rows}
    assert {id_: new for id_, *_, new in rows} == expected
    news = Counter(code for _, code, _, new in rows if new)
    assert set(news.values()) == {1} and set(news) == set(first)
    assert len(first) < sum(1 for _, code, *_ in rows if code)  # some codes come back


def test_coded_singles_carry_an_age_band_and_a_sex_and_tallies_none(seeded):
    rows = db.session.execute(
        select(
            Handout.kind, Handout.client_hash, Handout.age_band, Handout.sex, Handout.occurred_at
        ).order_by(Handout.occurred_at, Handout.id)
    ).all()
    assert {kind for kind, *_ in rows} == {"single", "tally"}
    for kind, code, band, sex, _ in rows:
        coded = kind == "single" and code is not None
        assert (band in AGE_BANDS, sex in SEX) == (coded, coded)
        assert coded or (band, sex) == (None, None)  # nothing else either
    of_code = defaultdict(list)
    for _, code, band, sex, _ in rows:
        if code:
            of_code[code].append((BANDS.index(band), sex))
    for visits in of_code.values():  # a person keeps their sex and only grows older
        assert len({sex for _, sex in visits}) == 1
        assert [b for b, _ in visits] == sorted(b for b, _ in visits)


def test_the_people_are_mostly_men_aged_25_to_44_and_few_are_under_18(runner):
    result = runner.invoke(args=["seed-demo", "--handouts", "6000", "--months", "12"])
    assert result.exit_code == 0, result.output
    firsts = db.session.execute(
        select(Handout.age_band, Handout.sex).where(Handout.new_person.is_(True))
    ).all()
    bands, sexes = Counter(b for b, _ in firsts), Counter(s for _, s in firsts)
    n = len(firsts)
    assert n > 800
    assert 0.62 < sexes["M"] / n < 0.78 and sexes["F"] > sexes["X"]
    assert (bands["25_34"] + bands["35_44"]) / n > 0.55
    assert 0 < bands["under_18"] / n < 0.05 and bands["55_plus"] > 0


def test_overdose_reports_say_where_and_what_followed_and_who_when_coded(seeded):
    reports = db.session.scalars(select(OverdoseReport)).all()
    assert {r.place_type for r in reports} - {None} <= set(PLACE_TYPES)
    assert sum(r.place_type is not None for r in reports) > len(reports) / 2
    assert {r.taken_to_hospital for r in reports} >= {True, False}
    assert {r.referred for r in reports if r.outcome == "survived"} >= {True, False}
    assert all(r.referred is None for r in reports if r.outcome != "survived")
    sex_of = dict(
        db.session.execute(
            select(Handout.client_hash, Handout.sex).where(Handout.client_hash.is_not(None))
        ).all()
    )
    coded = [r for r in reports if r.client_hash]
    assert coded
    for report in reports:
        assert (report.age_band is None) == (report.client_hash is None)
        assert report.sex == sex_of.get(report.client_hash)


def test_the_national_set_supplies_kits_in_scotland(runner):
    result = runner.invoke(args=["seed-demo", "--handouts", "3000", "--months", "12"])
    assert result.exit_code == 0, result.output
    in_scotland = (
        select(func.count())
        .select_from(Handout)
        .join(Area, Area.id == Handout.area_id)
        .where(Area.code.in_(["S12000049", "S12000042"]))
    )
    assert db.session.scalar(in_scotland) > 50


def test_areas_load_loads_the_bundled_list_then_updates_it(runner):
    first = runner.invoke(args=["areas-load"])
    assert first.exit_code == 0, first.output
    assert f"Areas added: {len(AREAS)}; updated: 0." in first.output
    assert db.session.scalar(select(func.count()).select_from(Area)) == len(AREAS)
    wales = db.session.scalar(select(Area).where(Area.code == "W06000011"))
    assert (wales.name, wales.level) == ("Swansea", "local_authority")
    again = runner.invoke(args=["areas-load"])
    assert again.exit_code == 0, again.output
    assert f"Areas added: 0; updated: {len(AREAS)}." in again.output
    assert db.session.scalar(select(func.count()).select_from(Area)) == len(AREAS)


def test_the_seeds_load_the_areas_first(seeded):
    assert db.session.scalar(select(func.count()).select_from(Area)) == len(AREAS)


def test_the_generator_marks_new_people_as_the_rule_would_so_the_rule_rewrites_nothing():
    start, end = datetime(2025, 1, 1, tzinfo=UTC), datetime(2026, 11, 1, tzinfo=UTC)
    plans = [
        generate.OrgPlan(
            org_id=org,
            country="GB-WLS",
            city="Swansea",
            lat=51.62,
            lon=-3.94,
            coordinator_id=100 + org,
            site_ids=[org],
            site_points=[(51.62, -3.94)],
            area_id=7,
            peers=[(10 + org, start, end)],
        )
        for org in (1, 2)
    ]
    cols, _ = generate.handouts(
        np.random.default_rng(5), generate.Frame(plans), [1, 2, 3], 4000, start, end, "key"
    )
    first: dict[str, tuple] = {}
    for row, (code, when) in enumerate(zip(cols["client_hash"], cols["occurred_at"], strict=True)):
        if code is not None:
            first[code] = min(first.get(code, (when, row)), (when, row))  # ids in row order
    expected = [
        None if code is None else first[code][1] == row
        for row, code in enumerate(cols["client_hash"])
    ]
    assert list(cols["new_person"]) == expected
    assert expected.count(True) == len(first) > 500

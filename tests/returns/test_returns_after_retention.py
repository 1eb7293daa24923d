"""A return after retention has removed the client codes of part of its period: kits, supplies,
new people and reach stay exactly as they were (new_person is kept with the record); unique
people can only be counted where codes are kept, and every copy of the return says so."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from outreach.extensions import db
from outreach.handouts.models import Handout
from tests.returns.test_known_programme import WALES, api, cells

NOW = datetime(2026, 11, 18, 10, tzinfo=UTC)
# Swansea keeps codes 24 months: from here, those before 1 June 2025 are due to go.
LATER = datetime(2027, 6, 15, 12, tzinfo=UTC)
KEPT = (
    "Kits",
    "Supplies",
    "First supplies to people at risk",
    "Repeat supplies after use on an overdose",
    "New people",
    "New people at risk",
    "People at risk supplied since the programme began",
)


def _kept(figures: dict) -> dict:
    return {
        k: v for k, v in figures.items() if k[2] in KEPT or k[0] in ("settings", "outlets_by_area")
    }


def test_purge_keeps_every_figure_but_unique_people_and_the_return_says_so(
    client, auth, runner, programme, _pinned_clock
):
    _pinned_clock.move_to(NOW)  # whatever day the suite runs on: FY 2025/26 is still whole
    auth.login(programme.coordinator)
    before = api(client, WALES)
    assert not any(label == "People" for label, _value in before["header"])
    _pinned_clock.move_to(LATER)
    result = runner.invoke(args=["retention-purge", "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    gone = db.session.scalars(
        select(Handout.new_person).where(
            Handout.client_hash.is_(None), Handout.occurred_at < datetime(2025, 5, 31, tzinfo=UTC)
        )
    ).all()
    assert True in gone  # a purged first supply still says "new person"
    auth.login(programme.coordinator)  # months later: a new session
    after = api(client, WALES)
    assert _kept(cells(after)) == _kept(cells(before))
    header = dict(after["header"])
    assert "before 2025-06-01" in header["People"]
    # Person 1's codes (April and June) and person 2's (May): April and May are purged.
    bay = "Swansea Bay University Health Board"
    assert cells(before)[("people_by_area", bay, "People supplied")] == 3
    assert cells(after)[("people_by_area", bay, "People supplied")] == 2
    csv_text = client.get("/reports/returns", query_string={**WALES, "format": "csv"}).data
    assert "before 2025-06-01" in csv_text.decode("utf-8-sig")

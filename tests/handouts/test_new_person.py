"""Who is a new person (outreach/handouts/firsts.py): the earliest live supply of each client
code, kept on every write and set for a whole table by refresh_all, which writes only the rows
whose mark changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from outreach.extensions import db
from outreach.handouts import firsts
from outreach.handouts.models import Handout

pytestmark = pytest.mark.usefixtures("app")

LONG_AGO = datetime(2026, 1, 1, 12, tzinfo=UTC)
CODE_A, CODE_B = "a" * 64, "b" * 64


def _marks() -> dict[int, bool | None]:
    return dict(db.session.execute(select(Handout.id, Handout.new_person)).all())


def _stamps() -> dict[int, datetime]:
    return dict(db.session.execute(select(Handout.id, Handout.updated_at)).all())


def _supplies(make):
    """Two supplies of code A in two organisations, one of code B, one without a code."""
    peer, other = make.user(), make.user()
    day = datetime(2026, 11, 2, 10, tzinfo=UTC)
    rows = [
        make.handout(giver=peer, client_hash=CODE_A, occurred_at=day),
        make.handout(giver=other, client_hash=CODE_A, occurred_at=day + timedelta(days=3)),
        make.handout(giver=peer, client_hash=CODE_B, occurred_at=day + timedelta(days=1)),
        make.handout(giver=peer, occurred_at=day + timedelta(days=2)),
    ]
    db.session.flush()
    return rows


def test_each_code_s_earliest_live_supply_is_the_new_person(make):
    a1, a2, b, uncoded = _supplies(make)
    assert _marks() == {a1.id: True, a2.id: False, b.id: True, uncoded.id: None}


def test_refresh_all_marks_a_bulk_loaded_table_as_the_flushes_do(make):
    a1, a2, b, uncoded = _supplies(make)
    db.session.execute(update(Handout).values(new_person=None))  # as a bulk load leaves them
    firsts.refresh_all(db.session.connection())
    assert _marks() == {a1.id: True, a2.id: False, b.id: True, uncoded.id: None}


def test_refresh_all_moves_the_mark_when_the_first_supply_is_voided_behind_its_back(make):
    a1, a2, b, _ = _supplies(make)
    db.session.execute(
        update(Handout)
        .where(Handout.id == a1.id)
        .values(voided_at=LONG_AGO, voided_by_id=a1.giver_id, void_reason="typed twice")
    )
    firsts.refresh_all(db.session.connection())
    marks = _marks()
    assert (marks[a1.id], marks[a2.id], marks[b.id]) == (False, True, True)


def test_refresh_all_leaves_rows_whose_mark_is_right_untouched(make):
    a1, a2, b, uncoded = _supplies(make)
    db.session.execute(update(Handout).values(updated_at=LONG_AGO))
    db.session.execute(update(Handout).where(Handout.id == a2.id).values(new_person=True))
    firsts.refresh_all(db.session.connection())
    assert _marks()[a2.id] is False
    stamps = _stamps()
    assert stamps[a2.id] > LONG_AGO  # corrected: a change the API's updated_since reports
    assert [stamps[r.id] for r in (a1, b, uncoded)] == [LONG_AGO] * 3


def test_a_repeat_supply_leaves_the_code_s_earlier_supplies_unchanged(make):
    a1, a2, b, _ = _supplies(make)
    db.session.execute(update(Handout).values(updated_at=LONG_AGO))
    later = make.handout(
        giver=a1.giver, client_hash=CODE_A, occurred_at=a2.occurred_at + timedelta(days=1)
    )
    db.session.flush()
    assert _marks()[later.id] is False
    stamps = _stamps()
    assert [stamps[r.id] for r in (a1, a2, b)] == [LONG_AGO] * 3

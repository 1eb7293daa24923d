"""erase-client: one client code cut from every record in every organisation, figures exact,
the erasure audited by counts without the code, said in the operator's language."""

from __future__ import annotations

from sqlalchemy import select

from outreach.audit.models import AuditEvent
from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.trainings.models import TrainingAttendance
from tests.retention.conftest import BIRTH, INITIALS, OTHER_CODE, SEX, code, every_figure

ARGS = ["erase-client", "--initials", INITIALS, "--dob", BIRTH.isoformat(), "--sex", SEX]
MODELS = (Handout, OutreachContact, TrainingAttendance)


def _holding(value: str) -> int:
    return sum(
        len(db.session.scalars(select(m.id).where(m.client_hash == value)).all()) for m in MODELS
    )


def test_erasure_unlinks_the_code_everywhere_and_keeps_every_figure(runner, detailed):
    hashed = code()
    rows = _holding(hashed)
    orgs = set(db.session.scalars(select(Handout.org_id).where(Handout.client_hash == hashed)))
    assert rows > 5 and len(orgs) == 3
    others = _holding(OTHER_CODE)
    before = every_figure(detailed)
    result = runner.invoke(args=[*ARGS, "--yes"])
    assert result.exit_code == 0, result.output
    assert f"{rows} records in 3 organisations unlinked." in result.output
    db.session.expire_all()
    assert _holding(hashed) == 0 and _holding(OTHER_CODE) == others
    assert every_figure(detailed) == before
    stand_ins = {
        h for m in MODELS for h in db.session.scalars(select(m.client_hash)) if h and h[0] == "~"
    }
    assert len(stand_ins) == 1  # one person still counts as one
    assert db.session.scalars(select(OutreachContact.notes)).all() == [None] * 3


def test_a_record_made_before_the_tablet_key_is_unlinked_with_the_same_stand_in(runner, detailed):
    older = db.session.scalars(select(Handout).where(Handout.client_hash == OTHER_CODE)).first()
    older.client_hash = code(form=1)  # made before revision 0013: sha256 digest, then keyed
    db.session.commit()
    assert code(form=1) != code()
    result = runner.invoke(args=[*ARGS, "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert _holding(code(form=1)) == 0 and _holding(code()) == 0
    assert older.client_hash.startswith("~")
    stand_ins = {h for m in MODELS for h in db.session.scalars(select(m.client_hash)) if h}
    assert {h for h in stand_ins if h.startswith("~")} == {older.client_hash}


def test_the_erasure_is_audited_in_each_organisation_without_the_code(runner, detailed):
    runner.invoke(args=[*ARGS, "--yes"])
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "erase")).all()
    w = detailed
    assert {e.org_id for e in events} == {w.org.id, w.partner.id, w.stranger.id}
    own = next(e for e in events if e.org_id == detailed.org.id)
    assert own.record_type == "client_code" and own.record_id is None
    assert own.detail.startswith("contact=3, handout=")
    text = " ".join(e.detail for e in events)
    assert code() not in text and INITIALS not in text and BIRTH.isoformat() not in text


def test_a_code_held_nowhere_is_said_and_changes_nothing(runner, detailed):
    result = runner.invoke(
        args=["erase-client", "--initials", "ZZ", "--dob", "1990-05-05", "--sex", "M", "--yes"]
    )
    assert result.exit_code == 0
    assert "No records hold this client code. Nothing was changed." in result.output
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "erase")) is None


def test_a_refused_confirmation_changes_nothing(runner, detailed):
    rows = _holding(code())
    result = runner.invoke(args=ARGS, input="n\n")
    assert result.exit_code == 0 and "Nothing was changed." in result.output
    assert f"{rows} records in 3 organisations hold this client code" in result.output
    db.session.expire_all()
    assert _holding(code()) == rows


def test_a_malformed_code_is_refused(runner, app):
    result = runner.invoke(
        args=["erase-client", "--initials", "A", "--dob", "1990-05-05", "--sex", "M", "--yes"]
    )
    assert result.exit_code != 0 and "Not a client code" in result.output


def test_what_was_found_is_said_in_welsh_and_swedish(runner, detailed):
    """Passes once the cy and sv catalogues hold this message."""
    rows = _holding(code())
    result = runner.invoke(args=[*ARGS, "--yes", "--language", "sv"])
    assert result.exit_code == 0
    assert f"{rows} poster i 3 organisationer" in result.output

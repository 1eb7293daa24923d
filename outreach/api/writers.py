"""Turning a validated API body into a call of the domain service that stores it."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import gettext as _

from outreach.access import can
from outreach.auth.models import User
from outreach.clientcode import keyed_hash
from outreach.contacts.models import OutreachContact
from outreach.contacts.services import ContactInput, record_contact
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.handouts.services import HandoutInput, record_handout
from outreach.orgs.models import Site
from outreach.overdoses.models import OverdoseReport
from outreach.overdoses.services import OverdoseInput, record_overdose
from outreach.places import Location, resolve_location
from outreach.trainings.models import TrainingSession
from outreach.trainings.services import record_session


class Forbidden(Exception):
    """The user's organisation may not write this record (403)."""

    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


def client_hash(digest: str | None) -> str | None:
    return keyed_hash(digest, current_app.config["CLIENT_CODE_KEY"]) if digest else None


def _member(user_id: int | None, user: User, field: str) -> User:
    """A user of the caller's organisation (default the caller); another's is a 403."""
    if user_id is None or user_id == user.id:
        return user
    other = db.session.get(User, user_id)
    if other is None:
        raise DomainError(field, _("There is no such user."))
    if other.org_id != user.org_id:
        raise Forbidden(field, _("This person belongs to another organisation."))
    return other


def _where(data: Any, user: User) -> Location:
    if data.site_id is not None:
        site = db.session.get(Site, data.site_id)
        if site is None:
            raise DomainError("site_id", _("There is no such site."))
        if site.org_id != user.org_id:
            raise Forbidden("site_id", _("This site belongs to another organisation."))
        if data.latitude is None or data.longitude is None:  # as resolve_location would
            place = (data.place_name or "").strip() or None
            return Location(site.latitude, site.longitude, "site", site.id, place)
    return resolve_location(
        user.org_id, data.latitude, data.longitude, data.site_id, data.place_name
    )


def _giver(data: Any, user: User) -> User:
    giver = _member(data.giver_id, user, "giver_id")
    if giver.id != user.id and not can(user, "record_for_others"):
        raise Forbidden("giver_id", _("A peer records only their own handouts."))
    return giver


def handout_input(data: Any, user: User, kind: str, client_id: str | None = None):
    """(the service's input, the giver) from a validated handout or tally body."""
    tally = kind == "tally"
    inp = HandoutInput(
        product_id=data.product_id,
        quantity=data.quantity,
        location=_where(data, user),
        kind=kind,
        supply=None if tally else data.supply,
        setting=data.setting,
        occurred_at=data.occurred_at,
        recipient_type=None if tally else data.recipient_type,
        repeat_reason=None if tally else data.repeat_reason,
        previous_source=None if tally else data.previous_source,
        training_given=data.training_given,
        batch_label=data.batch_label,
        batch_id=data.batch_id,
        people_count=data.people_count if tally else None,
        people_trained=data.people_trained if tally else None,
        client_hash=None if tally else client_hash(data.client_code_digest),
        age_band=None if tally else data.age_band,
        sex=None if tally else data.sex,
        client_id=client_id,
    )
    return inp, _giver(data, user)


def write_handout(
    data: Any,
    user: User,
    client_id: str,
    kind: str = "single",
    *,
    fresh: bool = False,
    flush: bool = True,
    **_opts,
) -> Handout:
    inp, giver = handout_input(data, user, kind, client_id)
    return record_handout(inp, giver=giver, recorded_by=user, fresh=fresh, flush=flush)


def contact_input(data: Any, user: User, client_id: str | None = None) -> ContactInput:
    return ContactInput(
        location=_where(data, user),
        setting=data.setting,
        occurred_at=data.occurred_at,
        people_count=data.people_count,
        services=list(data.services),
        referrals=list(data.referrals),
        notes=data.notes,
        client_hash=client_hash(data.client_code_digest),
        client_id=client_id,
    )


def write_contact(
    data: Any, user: User, client_id: str, *, fresh: bool = False, flush: bool = True, **_opts
) -> OutreachContact:
    inp = contact_input(data, user, client_id)
    return record_contact(inp, recorded_by=user, fresh=fresh, flush=flush)


def overdose_input(data: Any, user: User, client_id: str | None = None) -> OverdoseInput:
    return OverdoseInput(
        administered_by=data.administered_by,
        location=_where(data, user),
        outcome=data.outcome,
        occurred_at=data.occurred_at,
        doses=data.doses,
        route=data.route,
        emergency_called=data.emergency_called,
        someone_stayed=data.someone_stayed,
        taken_to_hospital=data.taken_to_hospital,
        referred=data.referred,
        place_type=data.place_type,
        product_id=data.product_id,
        client_hash=client_hash(data.client_code_digest),
        age_band=data.age_band,
        sex=data.sex,
        client_id=client_id,
    )


def write_overdose(
    data: Any,
    user: User,
    client_id: str,
    *,
    fresh: bool = False,
    notify: bool = True,
    flush: bool = True,
) -> OverdoseReport:
    inp = overdose_input(data, user, client_id)
    return record_overdose(inp, recorded_by=user, fresh=fresh, notify=notify, flush=flush)


def write_training(data: Any, user: User, client_id: str, **_opts) -> TrainingSession:
    trainer = _member(data.trainer_id, user, "trainer_id")
    attendees = [_member(i, user, "attendee_ids") for i in dict.fromkeys(data.attendee_ids)]
    return record_session(
        org_id=user.org_id,
        recorded_by=user,
        trainer=trainer,
        held_on=data.held_on,
        place=data.place,
        kind=data.kind,
        topics=list(dict.fromkeys(data.topics)),
        attendee_users=attendees,
        attendee_hashes=[client_hash(d) for d in data.attendee_code_digests],
        community_count=data.community_count,
        notes=data.notes,
        client_id=client_id,
    )


WRITERS = {
    "handout": write_handout,
    "tally": lambda data, user, cid, **opts: write_handout(data, user, cid, "tally", **opts),
    "contact": write_contact,
    "overdose_report": write_overdose,
    "training_attendance": write_training,
}

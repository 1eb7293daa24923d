"""Training pages: record a session, list sessions, one session, and who is lapsing."""

from __future__ import annotations

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from outreach.access import can, require, roles_with
from outreach.audit.services import record as audit
from outreach.auth.models import User
from outreach.auth.services import org_members
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.forms_cycle import form_page
from outreach.listing import matching
from outreach.orgs.services import org_today
from outreach.tenancy import paginate
from outreach.trainings import bp
from outreach.trainings.forms import TrainingFilters, TrainingSessionForm
from outreach.trainings.models import TrainingSession
from outreach.trainings.queries import filtered, find_by_client_id, get_session_or_404, status_rows
from outreach.trainings.services import current_until, record_session


def _prepare(form: TrainingSessionForm) -> None:
    org_id = current_user.org_id
    trainers = org_members(org_id, roles_with("lead_training"))
    form.set_people(trainers, org_members(org_id, roles_with("attend_training")))
    if request.method == "GET":
        form.held_on.data = org_today(current_user.organisation)
        form.valid_months.data = current_app.config["TRAINING_VALID_MONTHS"]
        if any(u.id == current_user.id for u in trainers):
            form.trainer_id.data = current_user.id


def _users(ids: list[int]) -> list[User]:
    # Not scoped on purpose: record_session refuses anyone from another organisation.
    if not ids:
        return []
    return list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)))


def _save(form: TrainingSessionForm) -> TrainingSession:
    client_id = form.client_id.data or None
    existing = find_by_client_id(current_user.org_id, client_id) if client_id else None
    if existing is not None:
        return existing  # a resent form: the session already exists
    trainer = db.session.get(User, form.trainer_id.data)
    if trainer is None:
        raise DomainError("trainer_id", _("Choose a trainer."))
    failed = set(form.failed_ids.data or [])
    # Ticking "did not pass" means the person attended, even if not ticked above.
    attendees = _users(sorted(set(form.attendee_ids.data or []) | failed))
    client_hash = form.client_hash()
    session = record_session(
        org_id=current_user.org_id,
        recorded_by=current_user,
        trainer=trainer,
        held_on=form.held_on.data,
        place=form.place.data,
        kind=form.kind.data,
        topics=list(form.topics.data or []),
        attendee_users=attendees,
        attendee_hashes=[client_hash] if client_hash else [],
        community_count=form.community_count.data or 0,
        passed_user_ids={u.id for u in attendees} - failed,
        valid_months=form.valid_months.data,
        notes=(form.notes.data or "").strip() or None,
        client_id=client_id,
    )
    audit(
        "create", "training_session", session.id, user=current_user, remote_addr=request.remote_addr
    )
    return session


@bp.route("/new", methods=["GET", "POST"])
@require("record_training")
def new():
    form = TrainingSessionForm()
    _prepare(form)

    def act(form):
        return url_for("trainings.detail", session_id=_save(form).id)

    return form_page("trainings/new.html", form, act, _("Training session saved."))


@bp.get("/")
@require("view_trainings")
def index():
    filters = TrainingFilters()
    start, end, kind = filters.start.data, filters.end.data, filters.kind.data or None
    stmt = filtered(current_user, start=start, end=end, kind=kind)
    page = paginate(db.session, matching(filters, stmt))
    until = None if can(current_user, "read_org_records") else current_until(current_user.id)
    return render_template(
        "trainings/index.html",
        page=page,
        filters=filters,
        start=filters.typed("start"),
        end=filters.typed("end"),
        kind=kind,
        trained_until=until,
    )


@bp.get("/<int:session_id>")
@require("view_trainings")
def detail(session_id: int):
    session = get_session_or_404(current_user, session_id)
    audit(
        "view", "training_session", session.id, user=current_user, remote_addr=request.remote_addr
    )
    db.session.commit()
    attendees = session.attendees
    if not can(current_user, "read_org_records"):
        # A peer sees their own result, not how the others did.
        attendees = [a for a in attendees if a.user_id == current_user.id]
    attendees = sorted(
        attendees, key=lambda a: (a.user is None, a.user.display_name if a.user else "")
    )
    return render_template("trainings/detail.html", session=session, attendees=attendees)


@bp.get("/lapsing")
@require("record_training")
def lapsing():
    window = current_app.config["TRAINING_RENEWAL_WINDOW_DAYS"]
    rows = status_rows(current_user.org_id, window)
    return render_template("trainings/lapsing.html", rows=rows, window=window)

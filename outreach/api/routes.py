"""Tokens, the create endpoints and the batch sync: every write of the API."""

from __future__ import annotations

from flask import g, request
from flask_babel import gettext as _
from pydantic import ValidationError

from outreach.api import bp
from outreach.api.auth import api_login_required, api_user, expires_iso, issue_token, revoke
from outreach.api.batch import Item, store_all
from outreach.api.openapi import REPLAY, Answers, operation
from outreach.api.records import Outcome, audit_created, begin_write, known_ids, store
from outreach.api.responses import OUT, SyncOut, SyncResult, TokenOut
from outreach.api.schemas import CREATE, DATA, MAX_BATCH, SyncBatch, SyncRecord, TokenRequest
from outreach.api.util import ApiError, field_errors, json_body, respond
from outreach.auth import events as login_events
from outreach.auth import mfa
from outreach.auth.services import (
    InvalidCredentials,
    TooManyAttempts,
    authenticate,
    second_factor_checked,
    second_factor_wait,
)
from outreach.errors import problem
from outreach.extensions import db
from outreach.resend import hold

PATHS = {
    "handout": "/handouts",
    "tally": "/tallies",
    "contact": "/contacts",
    "overdose_report": "/overdose-reports",
    "training_attendance": "/training-attendances",
}
TITLES = {
    "handout": "Record a naloxone supply to one recipient",
    "tally": "Record an anonymous tally of kits handed out",
    "contact": "Record an outreach contact",
    "overdose_report": "Record an overdose where naloxone was used",
    "training_attendance": "Record a training session and its attendees",
}


def user_json(user) -> dict:
    return {
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "org_id": user.org_id,
        "organisation": user.organisation.name,
        "locale": user.locale,
    }


def _refused(status: int, title: str, detail: str, field: str | None = None):
    response = problem(status, title, detail, {field: detail} if field else None)
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="outreach"'
    return response


def _second_factor(user, otp: str | None, address: str | None):
    """None when `user` may have a token; else the refusal. The login's `how` otherwise."""
    if not mfa.enrolled(user):
        if mfa.required_for(user):
            return None, _refused(
                403,
                "Forbidden",
                _("Your organisation requires two-step verification: set it up first."),
            )
        return "api", None
    if not otp:
        detail = _("Send the code from your authenticator app (or a recovery code) as otp.")
        return None, _refused(401, "Unauthorized", detail, "otp")
    if wait := second_factor_wait(user, address):
        return None, _throttled(wait)
    factor = mfa.second_factor(user, otp)
    second_factor_checked(user, factor is not None, address)
    if factor is None:
        detail = _("The otp code is not right, or was used already.")
        return None, _refused(401, "Unauthorized", detail, "otp")
    return f"api, {factor}", None


def _throttled(wait: int):
    response = problem(
        429,
        "Too Many Requests",
        _("Too many failed attempts. Try again in %(seconds)d seconds.", seconds=wait),
    )
    response.headers["Retry-After"] = str(wait)
    return response


@bp.post("/tokens")
@operation(
    Answers({201: (TokenOut, "A new token.")}, (400, 401, 403, 415, 422, 429)),
    json=TokenRequest,
    public=True,
)
def create_token():
    """Exchange a username and password (and, with two-step verification, an otp code) for a
    bearer token"""
    body, address = request.context.json, request.remote_addr
    try:
        user = authenticate(body.username, body.password, address)
    except TooManyAttempts as exc:
        login_events.login_failed(exc.user, body.username, "api, throttled", address)
        db.session.commit()
        return _throttled(exc.wait)
    except InvalidCredentials as exc:
        login_events.login_failed(exc.user, body.username, "api", address)
        db.session.commit()  # the failure counts must be kept
        return _refused(401, "Unauthorized", _("The username or password is wrong."))
    how, refusal = _second_factor(user, body.otp, address)
    if refusal is not None:
        if refusal.status_code != 401 or body.otp:  # a missing code is a question, not a guess
            login_events.login_failed(user, user.username, "api, mfa", address)
        db.session.commit()
        return refusal
    raw, token = issue_token(user)
    login_events.logged_in(user, how, address)
    db.session.commit()
    body = {"token": raw, "expires_at": expires_iso(token.expires_at), "user": user_json(user)}
    return respond(body, 201, {"Cache-Control": "no-store"})


@bp.delete("/tokens/current")
@api_login_required
@operation(Answers({204: (None, "Revoked.")}, (400, 401)))
def revoke_token():
    """Revoke the bearer token of this request"""
    if g.api_token is None:
        raise ApiError(400, "Bad Request", _("Only a bearer token can be revoked here."))
    revoke(g.api_token)
    db.session.commit()
    return "", 204


def answer(outcome: Outcome):
    if outcome.status == "refused":
        detail = "; ".join(e["reason"] for e in outcome.errors)
        return problem(outcome.http_status, outcome.title, detail, outcome.errors)
    headers = {"Idempotent-Replay": "true"} if outcome.http_status == 200 else {}
    return respond(outcome.json(), outcome.http_status, headers)


def create_view(kind: str):
    out = OUT[kind]
    answers = Answers(
        {
            201: (out, "Stored."),
            200: (out, "Already stored with the same content: nothing changed."),
        },
        (400, 401, 403, 409, 415, 422, 503),
        headers={200: REPLAY},
    )

    def view():
        data = request.context.json
        begin_write()
        hold([data.client_id])  # before any check: a copy in flight waits, then replays
        outcome = store(kind, data.client_id, data, api_user())
        audit_created([outcome], api_user(), request.remote_addr)
        response = answer(outcome)  # before the commit, which would expire the record
        db.session.commit()
        return response

    view.__name__, view.__doc__ = f"create_{kind}", TITLES[kind]
    return api_login_required(operation(answers, json=CREATE[kind])(view))


for _kind, _path in PATHS.items():
    bp.add_url_rule(
        _path, endpoint=f"create_{_kind}", view_func=create_view(_kind), methods=["POST"]
    )


def _result(item, outcome: Outcome | None = None, errors: list | None = None) -> dict:
    client_id = item.get("client_id") if isinstance(item, dict) else None
    kind = item.get("kind") if isinstance(item, dict) else None
    if outcome is None:
        return SyncResult(
            client_id=client_id if isinstance(client_id, str) and len(client_id) <= 64 else None,
            kind=kind if kind in PATHS else None,
            status="refused",
            http_status=422,
            id=None,
            errors=errors or [],
        ).model_dump()
    return {
        "client_id": client_id,
        "kind": kind,
        "status": outcome.status,
        "http_status": outcome.http_status,
        "id": outcome.record.id if outcome.record is not None else None,
        "errors": outcome.errors,
    }


@bp.post("/sync")
@api_login_required
@operation(
    Answers({200: (SyncOut, "One result per record, in order.")}, (400, 401, 413, 415, 422, 503)),
    json=SyncBatch,
    checked=False,
)
def sync():
    """Store a batch of records of mixed kinds, each answered on its own"""
    body = json_body()
    if not isinstance(body, dict) or not isinstance(body.get("records"), list):
        raise ApiError(
            422,
            "Unprocessable Content",
            _("Send an object with a list of records."),
            [{"field": "records", "reason": _("A list of records is required.")}],
        )
    extra = sorted(str(k) for k in body if k != "records")
    if extra:
        raise ApiError(
            422,
            "Unprocessable Content",
            _("Unknown fields in the body."),
            [{"field": k[:64], "reason": "Extra inputs are not permitted"} for k in extra],
        )
    records = body["records"]
    if len(records) > MAX_BATCH:
        raise ApiError(
            413,
            "Content Too Large",
            _("Send at most %(n)d records in one batch.", n=MAX_BATCH),
            [{"field": "records", "reason": _("At most %(n)d records.", n=MAX_BATCH)}],
        )
    user = api_user()
    begin_write()
    checked: list = []
    for item in records:
        try:
            rec = SyncRecord.model_validate(item)
        except ValidationError as exc:
            checked.append((item, None, field_errors(exc)))
            continue
        try:
            checked.append((item, rec, DATA[rec.kind].model_validate(rec.data)))
        except ValidationError as exc:
            checked.append((item, None, field_errors(exc, "data.")))
    client_ids = [rec.client_id for _i, rec, _d in checked if rec is not None]
    hold(client_ids)  # before any check: a copy in flight waits, then is answered as a replay
    known = known_ids(client_ids)
    seen: set[str] = set()
    items: list[Item] = []
    for _item, rec, data in checked:
        if rec is not None:
            cid = rec.client_id.lower()
            items.append(Item(rec.kind, cid, data, cid not in known and cid not in seen))
            seen.add(cid)
    outcomes = store_all(items, user)
    answers = iter(outcomes)
    results = [
        _result(item, errors=data)
        if rec is None
        else _result({"client_id": rec.client_id, "kind": rec.kind}, next(answers))
        for item, rec, data in checked
    ]
    audit_created(outcomes, user, request.remote_addr)
    db.session.commit()
    return respond({"results": results})

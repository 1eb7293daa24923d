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
from outreach.audit.services import record as audit
from outreach.auth.services import AccountLocked, InvalidCredentials, authenticate
from outreach.errors import problem
from outreach.extensions import db
from outreach.models.base import utcnow
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


@bp.post("/tokens")
@operation(
    Answers({201: (TokenOut, "A new token.")}, (400, 401, 415, 422, 429)),
    json=TokenRequest,
    public=True,
)
def create_token():
    """Exchange a username and password for a bearer token"""
    body = request.context.json
    try:
        user = authenticate(body.username, body.password)
    except AccountLocked as exc:
        db.session.commit()
        wait = max(1, int((exc.until - utcnow()).total_seconds()) + 1)
        response = problem(
            429, "Too Many Requests", _("Too many failed logins. Wait a while and try again.")
        )
        response.headers["Retry-After"] = str(wait)
        return response
    except InvalidCredentials:
        db.session.commit()  # the failure counter must be kept
        response = problem(401, "Unauthorized", _("The username or password is wrong."))
        response.headers["WWW-Authenticate"] = 'Bearer realm="outreach"'
        return response
    raw, token = issue_token(user)
    audit("login", "user", user.id, user=user, detail="api token", remote_addr=request.remote_addr)
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

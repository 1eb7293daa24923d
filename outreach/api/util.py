"""Reading JSON bodies and query strings safely, and answering with problem+json."""

from __future__ import annotations

import json
from typing import Any

from flask import current_app, g, jsonify, request
from flask_babel import gettext as _
from pydantic import BaseModel, ValidationError
from sqlalchemy.exc import DBAPIError, OperationalError

from outreach.api import bp
from outreach.audit.services import record_denial
from outreach.domain import DomainError
from outreach.errors import problem
from outreach.extensions import db


class ApiError(Exception):
    def __init__(self, status: int, title: str, detail: str = "", fields: list | None = None):
        super().__init__(detail)
        self.status, self.title, self.detail, self.fields = status, title, detail, fields or []

    @classmethod
    def refused(
        cls,
        exc: DomainError,
        status: int = 422,
        title: str = "Unprocessable Content",
        field: str | None = None,
    ):
        """A service's refusal as the API says it: the field at fault and why."""
        reason = str(exc.message)
        at = field or exc.field or "body"
        return cls(status, title, reason, [{"field": at, "reason": reason}])


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError):
    if exc.status == 403 and (user := g.get("api_user")) is not None:
        # A refusal of the caller's role or organisation, in their organisation's log (as
        # outreach.access.require does for pages); written at once, the request rolls back.
        record_denial(
            "page",
            None,
            user=user,
            detail=f"{exc.detail}: {request.method} {request.path}"[:200],
            remote_addr=request.remote_addr,
        )
    return problem(exc.status, exc.title, exc.detail, exc.fields)


def _retry_later(detail: str):
    response = problem(503, "Service Unavailable", detail)
    response.headers["Retry-After"] = "1"
    return response


@bp.errorhandler(DBAPIError)
def _database_unavailable(exc: DBAPIError):
    """The connection was lost (a restart, a network cut, a killed backend), a lock wait timed
    out or a deadlock was broken: the transaction is gone, so sending again is safe.

    A lost connection may have taken a commit with it: the client's resend is then answered as
    a replay, never stored twice. Any other database error is a bug (500)."""
    try:
        db.session.rollback()
    except DBAPIError:  # the rollback of a dead connection: it is discarded all the same
        db.session.remove()
    if exc.connection_invalidated:
        current_app.logger.warning("api: database connection lost: %s", exc.orig)
        return _retry_later(
            _("The connection to the database was lost. Send again: nothing is stored twice.")
        )
    if isinstance(exc, OperationalError):
        current_app.logger.warning("api: database busy: %s", exc.orig)
        return _retry_later(_("The database is busy. Nothing was stored: send again."))
    raise exc


def _reason(err: dict) -> str:
    """Pydantic's reason in the user's language, for the kinds a tablet's form can make;
    pydantic's own English words for the rest."""
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in ("greater_than_equal", "greater_than"):
        return _("The lowest allowed is %(n)s.", n=ctx.get("ge", ctx.get("gt")))
    if kind in ("less_than_equal", "less_than"):
        return _("The highest allowed is %(n)s.", n=ctx.get("le", ctx.get("lt")))
    if kind in ("literal_error", "enum"):
        return _("Choose one of the options.")
    if kind in ("string_too_long", "too_long"):
        return _("This is too long.")
    if kind == "timezone_aware":
        return _("Give the time with its time zone.")
    if kind.endswith(("_parsing", "_type")) or kind in ("string_pattern_mismatch", "finite_number"):
        return _("This value is not valid.")
    return err["msg"]


def field_errors(exc: ValidationError, prefix: str = "") -> list[dict]:
    out = []
    for err in exc.errors(include_url=False, include_input=False):
        loc = ".".join(str(p) for p in err["loc"]) or "body"
        out.append({"field": prefix + loc, "reason": _reason(err)})
    return out


def json_body() -> Any:
    """The request's JSON: 415 when it is not JSON, 400 when it cannot be read."""
    mimetype = request.mimetype or ""
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise ApiError(415, "Unsupported Media Type", _("Send the body as application/json."))
    # The one request size limit (config MAX_CONTENT_LENGTH; outreach/bodylimit.py for chunked).
    if (request.content_length or 0) > current_app.config["MAX_CONTENT_LENGTH"]:
        raise ApiError(413, "Content Too Large", _("The body is too large."))
    raw = request.get_data(cache=True)
    if not raw:
        raise ApiError(400, "Bad Request", _("The body is empty."))
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise ApiError(400, "Bad Request", _("The body is not valid JSON.")) from None


def validate(model: type[BaseModel], value: Any, prefix: str = ""):
    """`value` validated by `model`, or a 422 problem naming each field at fault."""
    try:
        return model.model_validate(value)
    except ValidationError as exc:
        raise ApiError(
            422,
            "Unprocessable Content",
            _("Some fields are missing or not valid."),
            field_errors(exc, prefix),
        ) from None


def query(model: type[BaseModel]):
    return validate(model, {k: v for k, v in request.args.items() if k in model.model_fields})


def respond(body: Any, status: int = 200, headers: dict | None = None):
    response = jsonify(body)
    response.status_code = status
    response.headers.update(headers or {})
    return response

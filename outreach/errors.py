"""Error pages in HTML, or problem+json for API and JSON clients; rollback on failure."""

from __future__ import annotations

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from outreach.extensions import db


def wants_json() -> bool:
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return (
        best == "application/json"
        and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]
    )


def problem(status: int, title: str, detail: str = "", fields: dict | list | None = None):
    """An RFC 9457 problem; `fields` as [{"field", "reason"}] (a {field: reason} dict works too)."""
    if isinstance(fields, dict):
        fields = [{"field": str(k), "reason": str(v)} for k, v in fields.items()]
    body = {
        "type": "about:blank",
        "title": title,
        "status": status,
        "detail": str(detail),
        "fields": list(fields or []),
    }
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


KEEP_HEADER = "X-Outreach-Keep"


RECORD_FORMS = "outreach.record_forms"  # app.extensions key: the endpoints of record forms


def _record_endpoints() -> set[str]:
    """The record forms (handout, contact, ...) that come back whole after an expired token;
    the offline feature, which knows them, puts them in `app.extensions[RECORD_FORMS]`."""
    return current_app.extensions.get(RECORD_FORMS, set())


def _record_form_again():
    """A record form whose token expired, shown again with everything typed and a fresh token
    (the view sees `g.form_expired` and saves nothing); None for any other form, or when nobody
    is logged in any more (the view would send the browser to the login page)."""
    if request.endpoint not in _record_endpoints() or not current_user.is_authenticated:
        return None
    g.form_expired = True
    view = current_app.view_functions[request.endpoint]
    return make_response(current_app.ensure_sync(view)(**(request.view_args or {})))


def init_errors(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        db.session.rollback()
        message = _("This form had expired. Your entries are kept: check them and send again.")
        if wants_json():
            return problem(400, "CSRF token missing or expired", message)
        response = _record_form_again()
        if response is None:
            response = make_response(
                render_template("errors/error.html", code=400, message=message), 400
            )
        if request.endpoint in _record_endpoints():
            # Nothing was stored: the tablet's service worker keeps the record in its outbox.
            response.headers[KEEP_HEADER] = "expired"
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code and exc.code >= 500:
            db.session.rollback()
        messages = {
            403: _("You do not have permission to see this page."),
            404: _("This page does not exist, or you may not see it."),
            405: _("That action is not allowed here."),
            413: _("The body is too large."),
            429: _("Too many requests. Wait a moment and try again."),
        }
        message = messages.get(exc.code, exc.description or "")
        if wants_json():
            return problem(exc.code or 500, exc.name, str(message))
        return render_template("errors/error.html", code=exc.code, message=message), exc.code

    @app.errorhandler(Exception)
    def unhandled(exc: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error")
        if app.config.get("TESTING") and app.config.get("PROPAGATE_UNHANDLED", True):
            raise exc
        # The failure may come after the commit (while the answer is drawn), so the page
        # cannot promise that nothing was saved.
        message = _(
            "Something went wrong on our side. What you sent may or may not have been saved: "
            "check before you send it again."
        )
        if wants_json():
            return problem(500, "Internal Server Error", message)
        return render_template("errors/error.html", code=500, message=message), 500

"""The client-code look-up the handout form makes as the code is typed (static/js/app.js)."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from outreach.access import require
from outreach.clientcode import ClientCodeError, keyed_hash
from outreach.extensions import db
from outreach.handouts import bp
from outreach.handouts.lookup import LookupThrottled, look_up


@bp.post("/code-history")
@require("record_field_work")
def code_history():
    """A client code digest made on the tablet: this organisation's earlier supplies (dates,
    kits, products) and, of every other organisation, only whether one supplied the code in
    the last 90 days. Throttled per user (CLIENT_LOOKUP_PER_MINUTE) and audited."""
    try:
        client_hash = keyed_hash(
            request.form.get("digest", ""), current_app.config["CLIENT_CODE_KEY"]
        )
    except ClientCodeError:
        return _answer({"error": {"field": "digest", "reason": "not a SHA-256 hex digest"}}, 400)
    try:
        history = look_up(client_hash, current_user, request.remote_addr, limit=5)
    except LookupThrottled as exc:
        db.session.commit()  # the refused look-up counts too
        reason = _(
            "Too many client code look-ups in a minute. Wait %(seconds)d seconds: "
            "the form keeps what you typed.",
            seconds=exc.wait,
        )
        answer = _answer({"error": {"field": "digest", "reason": reason}}, 429)
        answer.headers["Retry-After"] = str(exc.wait)
        return answer
    db.session.commit()
    supplies = [
        {
            "date": h["occurred_at"].date().isoformat(),
            "quantity": h["quantity"],
            "supply": h["supply"],
            "product": h["product"],
        }
        for h in history.own
    ]
    return _answer(
        {
            "count": len(supplies),
            "supplies": supplies,
            "supplied_elsewhere_90_days": history.supplied_elsewhere,
        },
        200,
    )


def _answer(body: dict, status: int):
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response

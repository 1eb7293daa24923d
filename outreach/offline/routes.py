"""Serve the service worker from the root (its scope is the whole app), the manifest, the outbox."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import (
    Response,
    current_app,
    jsonify,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from outreach.errors import KEEP_HEADER
from outreach.offline import bp
from outreach.offline.records import (
    RECORD_PAGES,
    field_labels,
    product_names,
    record_pages,
    time_format,
)

THEME_COLOUR = "#0b5d4b"
# Static files the worker keeps for offline use; its cache name changes when any of them does.
ASSETS = (
    "css/app.css",
    "js/app.js",
    "js/localtime.js",
    "js/outbox-store.js",
    "js/outbox.js",
    "js/outbox-forms.js",
    "js/outbox-list.js",
    "icons/icon-192.png",
    "icons/icon-512.png",
)
# The peer's pages kept for offline use (and nothing else with person-level data).
PAGES = (
    "home.index",
    "handouts.new",
    "handouts.tally",
    "contacts.new",
    "overdoses.new",
    "stock.my_bag",
    "offline.outbox",
    "offline.saved",
)


def _static(name: str) -> Path:
    return Path(current_app.static_folder) / name


def _version(worker: bytes) -> str:
    digest = hashlib.sha256(worker)
    for name in ASSETS:
        path = _static(name)
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


@bp.get("/sw.js")
def service_worker() -> Response:
    worker = _static("js/sw.js").read_bytes()
    pages = ",".join(f'"{url_for(p)}"' for p in PAGES)
    assets = ",".join(f'"{url_for("static", filename=a)}"' for a in ASSETS)
    body = (
        worker.replace(b"__VERSION__", _version(worker).encode())
        .replace(b'"__PAGES__"', pages.encode())
        .replace(b'"__ASSETS__"', assets.encode())
    )
    response = Response(body, mimetype="application/javascript")
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest() -> Response:
    icons = [
        {
            "src": url_for("static", filename=f"icons/icon-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "any maskable",
        }
        for size in (192, 512)
    ]
    response = jsonify(
        {
            "name": _("Outreach: naloxone and outreach records"),
            "short_name": _("Outreach"),
            "start_url": "/",
            "scope": "/",
            "display": "standalone",
            "theme_color": THEME_COLOUR,
            "background_color": "#f7f8f6",
            "icons": icons,
        }
    )
    response.mimetype = "application/manifest+json"
    return response


@bp.before_app_request
def record_posted_after_logout():
    """A record form posted by someone no longer logged in (logged out everywhere, or the account
    was closed) is not sent to the login page, which would drop it: the answer says nothing was
    stored, and the tablet's service worker keeps the record (X-Outreach-Keep) until they log in."""
    endpoints = set(RECORD_PAGES.values())
    if request.method != "POST" or request.endpoint not in endpoints:
        return None
    if current_user.is_authenticated:
        return None
    message = _("You were logged out, so the record was not saved. Log in and send it again.")
    response = make_response(render_template("errors/error.html", code=401, message=message), 401)
    response.headers[KEEP_HEADER] = "login"
    return response


@bp.get("/offline/outbox")
@login_required
def outbox() -> str:
    return render_template(
        "offline/outbox.html",
        products=product_names(),
        labels=field_labels(),
        pages=record_pages(),
        time_format=time_format(),
    )


@bp.get("/offline/saved")
@login_required
def saved() -> str:
    """What the worker shows after it kept a form that could not be sent, and why it did."""
    why = request.args.get("why")
    known = ("expired", "server", "login")
    return render_template("offline/saved.html", why=why if why in known else None)

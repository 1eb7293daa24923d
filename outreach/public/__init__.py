"""Where to get naloxone: the public pages (no login) listing the sites that organisations
chose to show, nearest first to a place or position; docs/public.md."""

from flask import Blueprint

from outreach.auth.sessions import SESSIONLESS

bp = Blueprint("public", __name__, url_prefix="/naloxone")

from outreach.public import routes  # noqa: E402,F401

PAGES = frozenset({"public.index", "public.language"})


@bp.record_once
def _tell_sessions_the_public_pages(state) -> None:
    """These pages never touch a login: no session cookie is set on them (auth.sessions)."""
    state.app.extensions.setdefault(SESSIONLESS, set()).update(PAGES)

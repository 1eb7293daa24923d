"""Browser fixtures: the real app on a local port with its own SQLite file, driven by Chromium."""

from __future__ import annotations

import contextlib
import shutil
import socket
import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from werkzeug.serving import make_server

from outreach import create_app
from outreach.extensions import db
from tests.browser.support import (
    AXE_JS,
    CHROMIUM_ARGS,
    CLIENT_CODE_KEY,
    LANDSCAPE,
    SWANSEA,
    LiveServer,
    Team,
    missing,
)


def _closing(app, lose_reply_to: set[str]):
    """Each response read whole and closed before Werkzeug's dev server gets it.

    That server closes a response only after draining the request socket, and a browser that
    resets the connection (Chromium cancels a static file's fetch on navigation) makes the
    drain raise first: the file stays open until collected, and its ResourceWarning fails
    whichever test is running. Nothing the browser tests fetch is streamed.

    A POST to a path in `lose_reply_to` is answered by nobody: the app handles it whole, then
    the connection is shut, as a lost signal would cut it."""

    def wsgi(environ, start_response):
        path = environ.get("PATH_INFO", "")
        lose = environ.get("REQUEST_METHOD") == "POST" and path in lose_reply_to
        body = app(environ, start_response)
        try:
            whole = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        if lose:
            environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
        return [whole]

    return wsgi


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    db_file = tmp_path_factory.mktemp("browser-db") / "browser.sqlite"
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_file}",
            "WTF_CSRF_ENABLED": True,
            "SECRET_KEY": "browser-test-secret",
            "CLIENT_CODE_KEY": CLIENT_CODE_KEY,
            "GEOCODER": "offline",
            "ARGON2_TIME_COST": 1,
            "ARGON2_MEMORY_KIB": 1024,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "SERVER_NAME": None,
        }
    )
    with app.app_context():
        db.create_all()
    lose_reply_to: set[str] = set()
    server = make_server("127.0.0.1", 0, _closing(app, lose_reply_to), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        live = LiveServer(app, f"http://127.0.0.1:{server.server_port}")
        live.lose_reply_to = lose_reply_to
        yield live
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


def same_clock(context) -> None:
    """The browser's clock starts where the server's (pinned) clock is, and runs on from there."""
    context.clock.install(time=datetime.now(UTC))


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if path is None:
        missing("Debian's chromium is not installed (apt-get install chromium)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright for Python is not installed (pip install -e '.[dev]')")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser, live_server):
    """Open a page in a fresh context (own cookies) at a viewport, with GPS at Swansea."""
    contexts = []

    def _open(viewport: dict | None = None, geolocation: bool = True):
        options = {
            "viewport": viewport or LANDSCAPE,
            "locale": "en-GB",
            "base_url": live_server.url,
        }
        if geolocation:
            options.update(permissions=["geolocation"], geolocation=SWANSEA)
        context = browser.new_context(**options)
        context.set_default_timeout(10_000)
        same_clock(context)
        contexts.append(context)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


@pytest.fixture
def team(live_server) -> Team:
    return live_server.team()


@pytest.fixture
def axe_source() -> str:
    if not AXE_JS.exists():
        missing("axe-core is not installed (npm install, from package.json)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def tablet(browser, chromium_path, live_server, tmp_path):
    """Launch Chromium on one profile folder: IndexedDB and the worker outlive a full close."""
    contexts = []

    def launch(timezone_id: str | None = None, viewport: dict | None = None):
        """`timezone_id`: the zone the tablet's system clock is set to (default: the machine's)."""
        options = {"timezone_id": timezone_id} if timezone_id else {}
        context = browser.browser_type.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=chromium_path,
            args=CHROMIUM_ARGS,
            headless=True,
            viewport=viewport or LANDSCAPE,
            locale="en-GB",
            base_url=live_server.url,
            permissions=["geolocation"],
            geolocation=SWANSEA,
            **options,
        )
        context.set_default_timeout(10_000)
        same_clock(context)
        contexts.append(context)
        return context

    yield launch
    for context in contexts:
        with contextlib.suppress(Exception):  # already closed by the test
            context.close()

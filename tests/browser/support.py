"""Helpers for the browser tests: the live server, a seeded team, logging in."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
from flask import Flask

from outreach.extensions import db
from tests import factories

# The screens every browser test checks: a small phone, a tablet, and the three languages.
PHONE = {"width": 320, "height": 844}
TABLET = {"width": 768, "height": 1024}
LANGS = ("en", "cy", "sv")

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SWANSEA = {"latitude": 51.6214, "longitude": -3.9436}
LANDSCAPE = {"width": 1024, "height": 768}
PORTRAIT = {"width": 768, "height": 1024}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CLIENT_CODE_KEY = "browser-client-code-key"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def missing(what: str) -> None:
    """Skip when a tool is missing on a developer's machine; fail in CI, where it must be."""
    if in_ci():
        pytest.fail(f"{what} (CI=true: the browser tests must run)")
    pytest.skip(what)


@dataclass
class Team:
    """One organisation's people and things, made fresh for a test."""

    org_id: int
    site_id: int
    site_name: str
    peer_id: int
    username: str
    product_id: int
    product_name: str
    password: str = factories.PASSWORD


class LiveServer:
    def __init__(self, app: Flask, url: str):
        self.app = app
        self.url = url
        self.lose_reply_to: set[str] = set()  # paths whose POSTs are stored, then cut off

    @contextmanager
    def replies_lost(self, path: str) -> Iterator[None]:
        """Every POST to `path` is handled whole (stored and committed), then its connection is
        cut before any answer, as when the signal goes while the server answers (a browser may
        send a POST again on a reset connection: that copy's answer is lost too)."""
        self.lose_reply_to.add(path)
        try:
            yield
        finally:
            self.lose_reply_to.discard(path)

    def __call__(self, path: str = "/") -> str:
        return self.url + path

    @contextmanager
    def ctx(self) -> Iterator[None]:
        with self.app.app_context():
            try:
                yield
            finally:
                db.session.remove()

    def team(
        self, timezone: str = "Europe/London", locale: str | None = None, trained_on=None
    ) -> Team:
        with self.ctx():
            org = factories.OrganisationFactory(timezone=timezone)
            site = factories.SiteFactory(organisation=org, **SWANSEA)
            peer = factories.UserFactory(organisation=org, role="peer", locale=locale)
            factories.train(peer, held_on=trained_on)
            product = factories.ProductFactory()
            db.session.commit()
            return Team(
                org_id=org.id,
                site_id=site.id,
                site_name=site.name,
                peer_id=peer.id,
                username=peer.username,
                product_id=product.id,
                product_name=product.name,
            )


def log_in(page, team: Team) -> None:
    """Log in through the form, by the fields' labels, and land on the home page."""
    page.goto("/login")
    page.get_by_label("Username").fill(team.username)
    page.get_by_label("Password").fill(team.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: not url.endswith("/login"))


def open_menu(page) -> None:
    """Unfold the header's menu when it is folded behind its button (phones and tablets)."""
    toggle = page.locator("header.top .menu-toggle")
    if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
        toggle.click()


def loopback_only(page) -> list[str]:
    """Let only the app's own server (127.0.0.1) answer; the tiles and anything else are
    blocked. Returns the list of blocked URLs as they come."""
    blocked: list[str] = []

    def handle(route):
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    return blocked

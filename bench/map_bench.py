"""Time the map page on a seeded national-scale database, and a naive one-marker-per-event map.

Usage (seed first with bench/seed_timing.py, ~5 minutes for 1,000,000 handouts):

    .venv/bin/python bench/seed_timing.py sqlite:////tmp/map_national.sqlite 1000000
    .venv/bin/python bench/map_bench.py sqlite:////tmp/map_national.sqlite
    .venv/bin/python bench/map_bench.py postgresql+psycopg://postgres@127.0.0.1:5432/map_national

Times GET /map through the Flask test client (median of 5): the whole country over a year as
the platform admin, and one city over one month as the busiest organisation's coordinator;
then headless Chromium (local assets, every request off 127.0.0.1 blocked) from navigation to
drawn cell paths; then a naive Folium map with one Marker per handout of one month, capped at
--naive=N events (default 20,000): its Python render time, its size and (for up to 5,000
markers) the time Chromium takes to draw them. Prints a markdown table.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import threading
import time
from datetime import timedelta

COUNTRY = (49.9, -6.5, 69.1, 24.2)  # Wales, England and Sweden
BROWSER_NAIVE_CAP = 5_000
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def median_ms(fn, runs: int = 5) -> tuple[float, object]:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), result


def _person(user):
    from types import SimpleNamespace

    return SimpleNamespace(username=user.username, role=user.role)


def login(client, user) -> None:
    from outreach.seed.places import NATIONAL_PASSWORD, PASSWORDS

    for pw in (NATIONAL_PASSWORD, PASSWORDS.get(user.role)):
        client.post("/login", data={"username": user.username, "password": pw})
        if client.get("/map").status_code == 200:
            return
    raise SystemExit(f"cannot log in as {user.username}")


def naive_map(rows) -> str:
    """One folium.Marker per event, as a first attempt would draw it."""
    import folium

    m = folium.Map(location=[54, -2], zoom_start=6, tiles=None, max_zoom=18)
    m.options["maxZoom"] = 18
    for lat, lon, when in rows:
        # A tooltip, not a popup: folium.Popup needs jQuery, which the app does not serve.
        folium.Marker([lat, lon], tooltip=when.date().isoformat()).add_to(m)
    return m.get_root().render()


def browser_times(url_base: str, user, password: str, paths: dict[str, str], naive_html: str):
    from playwright.sync_api import sync_playwright

    out = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS, headless=True
        )
        # The app's service worker would fetch past page.route: block it for the timing.
        context = browser.new_context(
            viewport={"width": 1024, "height": 768}, base_url=url_base, service_workers="block"
        )
        page = context.new_page()
        page.set_default_timeout(120_000)

        def route(r):
            if r.request.url.endswith("/naive-map"):
                r.fulfill(body=naive_html, content_type="text/html")
            elif r.request.url.startswith(url_base):
                r.continue_()
            else:
                r.abort()

        page.route("**/*", route)
        page.goto("/login")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        for name, path in paths.items():
            samples = []
            for _ in range(3):
                started = time.perf_counter()
                page.goto(path)
                page.wait_for_function(
                    "() => document.querySelectorAll('.leaflet-overlay-pane path').length > 0"
                )
                samples.append((time.perf_counter() - started) * 1000)
            out[name] = statistics.median(samples)
        started = time.perf_counter()
        page.goto("/naive-map")
        page.wait_for_function(
            "() => document.querySelectorAll('.leaflet-marker-icon').length > 0", timeout=180_000
        )
        out["naive"] = (time.perf_counter() - started) * 1000
        browser.close()
    return out


def main(url: str, naive_cap: int) -> None:
    os.environ["DATABASE_URL"] = url
    from sqlalchemy import func, select
    from werkzeug.serving import make_server

    from outreach import create_app
    from outreach.auth.models import User
    from outreach.extensions import db
    from outreach.handouts.models import Handout
    from outreach.orgs.models import Site
    from outreach.seed.places import NATIONAL_PASSWORD

    app = create_app(
        {"WTF_CSRF_ENABLED": False, "SESSION_COOKIE_SECURE": False, "SERVER_NAME": None}
    )
    with app.app_context():
        db.create_all()  # a database seeded before the maps tables existed gets them here
        latest = db.session.scalar(select(func.max(Handout.occurred_at)))
        end = latest.date()
        year_start, month_start = end - timedelta(days=364), end - timedelta(days=29)
        org_id = db.session.execute(
            select(Handout.org_id, func.count())
            .where(Handout.occurred_at >= latest - timedelta(days=30))
            .group_by(Handout.org_id)
            .order_by(func.count().desc())
            .limit(1)
        ).one()[0]
        admin = _person(db.session.scalar(select(User).where(User.role == "platform_admin")))
        coordinator = _person(
            db.session.scalar(select(User).where(User.org_id == org_id, User.role == "coordinator"))
        )
        site = db.session.scalar(select(Site).where(Site.org_id == org_id).limit(1))
        city = (
            site.latitude - 0.1,
            site.longitude - 0.15,
            site.latitude + 0.1,
            site.longitude + 0.15,
        )
        total = db.session.scalar(select(func.count()).select_from(Handout))
        month_rows = db.session.execute(
            select(Handout.latitude, Handout.longitude, Handout.occurred_at)
            .where(Handout.occurred_at >= latest - timedelta(days=30))
            .limit(naive_cap)
        ).all()
        dialect = db.engine.dialect.name

    def bbox(b) -> str:
        return ",".join(f"{v:.4f}" for v in b)

    country = f"/map?start={year_start}&end={end}&bbox={bbox(COUNTRY)}"
    one_city = f"/map?start={month_start}&end={end}&bbox={bbox(city)}"
    rows = []
    for name, user, path in (
        ("country, one year", admin, country),
        ("city, one month", coordinator, one_city),
    ):
        client = app.test_client()
        login(client, user)
        ms, resp = median_ms(lambda c=client, p=path: c.get(p))
        assert resp.status_code == 200, resp.status_code
        rows.append((f"GET /map, {name} ({user.role})", ms, len(resp.data)))

    started = time.perf_counter()
    naive_html = naive_map(month_rows)
    naive_ms = (time.perf_counter() - started) * 1000
    rows.append(
        (
            f"naive Folium, 1 Marker per handout, {len(month_rows):,} of one month (Python)",
            naive_ms,
            len(naive_html.encode()),
        )
    )

    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    small = naive_map(month_rows[:BROWSER_NAIVE_CAP])
    try:
        shown = browser_times(
            base, admin, NATIONAL_PASSWORD, {"country": country, "city": one_city}, small
        )
    finally:
        server.shutdown()
    print(f"{dialect}: {total:,} handouts; latest {end}; busiest org {org_id}")
    print("| measurement | time | page size |")
    print("|---|---|---|")
    for name, ms, size in rows:
        print(f"| {name} | {ms:.0f} ms | {size / 1024:.0f} KB |")
    print(
        f"| Chromium: navigation to drawn cells, country, one year | {shown['country']:.0f} ms | |"
    )
    print(f"| Chromium: navigation to drawn cells, city, one month | {shown['city']:.0f} ms | |")
    print(
        f"| Chromium: naive map, {min(len(month_rows), BROWSER_NAIVE_CAP):,} Markers drawn "
        f"| {shown['naive']:.0f} ms | {len(small.encode()) / 1024:.0f} KB |"
    )


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    caps = [int(a.split("=", 1)[1]) for a in sys.argv[1:] if a.startswith("--naive=")]
    if len(args) != 1:
        sys.exit(__doc__)
    main(args[0], caps[0] if caps else 20_000)

"""The public page "Where to get naloxone" in Chromium: under 200 KB with its map (everything but
the tiles), no serious axe-core violation at 320 px and tablet size in English, Welsh and
Swedish, usable with the keyboard alone, the position sent only to about a kilometre, and no
cookie but the language chosen."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from outreach.extensions import db
from outreach.orgs import hours
from outreach.orgs.publish import LANGUAGE_CODES
from tests import factories
from tests.browser.support import LANGS, PHONE, TABLET, loopback_only
from tests.browser.test_accessibility_in_browser import _check

pytestmark = pytest.mark.browser

BUDGET = 200_000  # bytes: HTML, CSS, JavaScript and fonts; everything but the map's tiles
# The longest opening times there can be: three spans on most days, no two days alike.
FULL_WEEK = ";".join(
    f"{day}=" + spans
    for day, spans in zip(
        hours.DAYS,
        ["09:00-12:30,13:30-17:00,18:00-20:00", "09:00-12:00"] * 3 + ["12:00-13:00"],
        strict=True,
    )
)


def _longest(text: str, length: int) -> str:
    return (text * length)[:length]


@pytest.fixture(scope="module")
def public_sites(live_server):
    """The heaviest page there can be: PUBLIC_PAGE_SIZE public sites around Swansea with every
    fact at its longest (names, address, notes, all the languages), the first where the
    browser's position rounds to; a generous rate limit, as every test here comes from one
    address."""
    app = live_server.app
    limit = app.config["PUBLIC_PER_MINUTE"]
    app.config["PUBLIC_PER_MINUTE"] = 10_000
    names = []
    with live_server.ctx():
        org = factories.OrganisationFactory(name=_longest("Zq Bae Abertawe Collective ", 120))
        for i in range(app.config["PUBLIC_PAGE_SIZE"]):
            site = factories.SiteFactory(
                organisation=org,
                name=f"Zq public site {i:02d} " + _longest("at the drop-in centre ", 102),
                latitude=51.62 + i * 0.003,
                longitude=-3.94 - i * 0.004,
                public=True,
                address=_longest(f"Unit {i}, 120 Kingsway, Swansea SA1 5JQ, side door. ", 200),
                opening_hours=FULL_WEEK,
                hours_note=_longest("Closed on bank holidays; evenings for women only. ", 200),
                languages=",".join(LANGUAGE_CODES),
                accessibility=_longest(
                    "Step-free entrance, accessible toilet, hearing loop. ", 300
                ),
                offers_nasal=True,
                offers_injectable=True,
                offers_training=True,
            )
            names.append(site.name)
        db.session.commit()
    yield names
    app.config["PUBLIC_PER_MINUTE"] = limit


def _show_map(page) -> None:
    button = page.locator("[data-show-map]")  # "Show them on a map", in the page's language
    if button.is_visible():
        button.click()
    page.wait_for_selector(".leaflet-container")
    page.wait_for_function("() => document.querySelectorAll('.leaflet-overlay-pane path').length")


@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["320px", "tablet"])
def test_the_page_and_its_map_weigh_under_200_kb_before_the_tiles(
    open_page, public_sites, viewport
):
    page = open_page(viewport)
    blocked = loopback_only(page)
    loaded = []
    page.on("requestfinished", lambda request: loaded.append(request))
    page.goto("/naloxone/?lang=cy&q=Swansea")
    _show_map(page)
    page.wait_for_load_state("networkidle")
    assert page.locator("ol.sites > li").count() == len(public_sites)
    weights = {}
    for request in loaded:
        sizes = request.sizes()
        weights[urlparse(request.url).path] = (
            sizes["responseBodySize"] + sizes["responseHeadersSize"]
        )
    total = sum(weights.values())
    assert any(path.endswith("leaflet.js") for path in weights)  # the map is in the sum
    print(f"\npublic page weight: {total} bytes: {weights}")
    assert total < BUDGET, f"{total} bytes: {weights}"
    assert all(urlparse(u).hostname == "tile.openstreetmap.org" for u in blocked), blocked


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("viewport", [PHONE, TABLET], ids=["320px", "tablet"])
def test_the_page_has_no_serious_accessibility_violation(
    open_page, public_sites, axe_source, lang, viewport
):
    page = open_page(viewport)
    loopback_only(page)
    page.goto(f"/naloxone/?lang={lang}&q=Swansea")
    assert page.locator("html").get_attribute("lang") == lang
    _show_map(page)
    _check(page, axe_source)
    # Nothing scrolls sideways on a 320 px phone.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_a_place_not_found_has_no_serious_accessibility_violation(
    open_page, public_sites, axe_source
):
    page = open_page(PHONE)
    page.goto("/naloxone/?lang=sv&q=Swans")
    assert page.get_by_role("alert").is_visible()
    _check(page, axe_source)


def _tab_to(page, check: str, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(check):
            return
    raise AssertionError(f"the keyboard never reached {check}")


def test_the_keyboard_alone_searches_shows_the_map_and_changes_the_language(
    open_page, public_sites
):
    page = open_page(PHONE)
    loopback_only(page)
    page.goto("/naloxone/?lang=en")
    _tab_to(page, "() => document.activeElement.id === 'q'")
    page.keyboard.type("Cardiff")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert parse_qs(urlparse(page.url).query)["q"] == ["Cardiff"]
    assert page.get_by_role("heading", name="Nearest to Cardiff, Wales").is_visible()

    _tab_to(page, "() => document.activeElement.matches('[data-show-map]')")
    page.keyboard.press("Enter")
    page.wait_for_selector(".leaflet-container")
    page.wait_for_function("() => document.activeElement.id === 'map'")  # focus on the map

    page.goto(page.url)  # the page again, from the top: the language links come first
    _tab_to(page, "() => document.activeElement.textContent === 'Cymraeg'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert parse_qs(urlparse(page.url).query)["q"] == ["Cardiff"]  # the search is kept


def test_my_position_is_sent_to_about_a_kilometre_and_orders_the_list(open_page, public_sites):
    page = open_page(PHONE)  # the browser is at Swansea (51.6214, -3.9436)
    loopback_only(page)
    page.goto("/naloxone/?lang=en")
    with page.expect_navigation():
        page.get_by_role("button", name="Use my position").click()
    query = parse_qs(urlparse(page.url).query)
    assert (query["lat"], query["lon"]) == (["51.62"], ["-3.94"])
    assert page.get_by_role("heading", name="Nearest to your position").is_visible()
    assert page.locator("ol.sites h3").first.text_content() == public_sites[0]


def test_the_only_cookie_is_the_language_chosen_and_nothing_breaks_the_csp(open_page, public_sites):
    page = open_page(TABLET)
    loopback_only(page)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/naloxone/?lang=en&q=Swansea")
    _show_map(page)
    assert page.context.cookies() == []
    with page.expect_navigation():
        page.get_by_role("link", name="Svenska").click()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert [(c["name"], c["value"]) for c in page.context.cookies()] == [("lang", "sv")]
    page.goto("/naloxone/")  # the choice is remembered
    assert page.locator("html").get_attribute("lang") == "sv"
    assert not [e for e in errors if "Content Security Policy" in e or "CSP" in e], errors

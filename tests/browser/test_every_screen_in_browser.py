"""Every screen, in English, Welsh and Swedish, on a phone and a tablet: no serious or critical
axe-core violation (WCAG 2.2 AA), nothing scrolls sideways at 320 px, the header takes at most a
fifth of a phone's height, and every form can be filled and sent with the keyboard alone."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from sqlalchemy import select

from outreach.areas.services import load_areas
from outreach.auth.models import User
from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.overdoses.models import OverdoseReport
from outreach.seed.demo import load_demo
from outreach.seed.places import PASSWORDS
from outreach.stock.models import Holding, StockBalance
from outreach.trainings.models import TrainingSession
from tests.browser.support import LANGS, PHONE, TABLET
from tests.browser.test_accessibility_in_browser import _check

pytestmark = pytest.mark.browser


@dataclass
class Login:
    username: str
    password: str


ROLES = {
    "peer": Login("peer", PASSWORDS["peer"]),
    "coordinator": Login("coordinator", PASSWORDS["coordinator"]),
    "stock_manager": Login("stock", PASSWORDS["stock_manager"]),
    "org_admin": Login("orgadmin", PASSWORDS["org_admin"]),
    "trainer": Login("trainer", PASSWORDS["trainer"]),
}


@pytest.fixture(scope="module")
def demo(live_server) -> dict[str, list[str]]:
    """The demo organisations loaded once into the browser server's database; the pages each
    role opens, record pages included."""
    with live_server.ctx():
        load_demo(seed=20261118, months=4, echo=lambda _text: None)
        load_areas(db.session)  # idempotent: the seed loads them too
        db.session.commit()
        org = db.session.scalar(select(User.org_id).where(User.username == "coordinator"))

        def first(model):
            return db.session.scalar(select(model.id).where(model.org_id == org).limit(1))

        handout, contact, report = first(Handout), first(OutreachContact), first(OverdoseReport)
        session = first(TrainingSession)
        holding = db.session.scalar(
            select(Holding.id).where(Holding.org_id == org, Holding.kind == "store").limit(1)
        )
        batch = db.session.scalar(
            select(StockBalance.batch_id).where(StockBalance.holding_id == holding).limit(1)
        )
    return {
        "peer": [
            "/",
            "/handouts/new",
            "/handouts/tally",
            "/handouts/",
            "/contacts/new",
            "/contacts/",
            "/overdoses/new",
            "/overdoses/",
            "/trainings/",
            "/stock/bag",
            "/offline/outbox",
            "/map/hot-spots/new",
        ],
        "coordinator": [
            "/",
            "/map",
            "/map?colour_by=areas&level=local_authority",
            "/map/hot-spots",
            "/map/alerts",
            "/reports/monthly",
            "/reports/returns",
            "/reports/returns?return=sweden&area=SE-14&level=local_authority",
            "/trainings/lapsing",
            "/handouts/",
            "/handouts/?kind=tally",
            "/contacts/",
            "/overdoses/",
            f"/handouts/{handout}",
            f"/contacts/{contact}",
            f"/overdoses/{report}",
            f"/trainings/{session}",
        ],
        "stock_manager": [
            "/stock/",
            "/stock/receive",
            "/stock/move",
            "/stock/count",
            "/stock/write-off",
            "/stock/batches",
            f"/stock/batches/{batch}",
            f"/stock/holdings/{holding}",
            "/stock/expiring",
            "/stock/requests",
        ],
        "org_admin": [
            "/admin/",
            "/admin/users",
            "/admin/users/new",
            "/admin/sites",
            "/admin/sites/new",
            "/admin/settings",
            "/audit/",
            "/products/",
        ],
        "trainer": ["/trainings/new", "/trainings/"],
    }


def _log_in(page, login: Login, lang: str) -> None:
    page.goto("/login")
    page.select_option("#language", lang)
    with page.expect_navigation():
        page.locator("form.lang button[type=submit]").click()
    page.locator("#username").fill(login.username)
    page.locator("#password").fill(login.password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert not page.url.endswith("/login"), f"{login.username} could not log in"


def _geometry(page) -> dict:
    return page.evaluate(
        """() => ({
          scroll: document.documentElement.scrollWidth,
          width: document.documentElement.clientWidth,
          header: document.querySelector('header.top').getBoundingClientRect().height,
          height: window.innerHeight,
        })"""
    )


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_passes_axe_and_fits_a_phone_and_a_tablet(
    open_page, demo, axe_source, role, lang
):
    page = open_page(PHONE)
    _log_in(page, ROLES[role], lang)
    for path in demo[role]:
        page.set_viewport_size(PHONE)
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("lang") == lang
        box = _geometry(page)
        assert box["scroll"] <= box["width"], f"{path} scrolls sideways at 320 px"
        assert box["header"] <= box["height"] / 5, f"{path}: header of {box['header']} px"
        _check(page, axe_source)
        page.set_viewport_size(TABLET)
        _check(page, axe_source)


FORMS = [
    ("peer", "/handouts/new"),
    ("peer", "/handouts/tally"),
    ("peer", "/contacts/new"),
    ("peer", "/overdoses/new"),
    ("peer", "/map/hot-spots/new"),
    ("peer", "/stock/bag"),
    ("trainer", "/trainings/new"),
    ("stock_manager", "/stock/receive"),
    ("stock_manager", "/stock/move"),
    ("stock_manager", "/stock/count"),
    ("stock_manager", "/stock/write-off"),
    ("org_admin", "/admin/users/new"),
    ("org_admin", "/admin/sites/new"),
    ("org_admin", "/admin/settings"),
]

# Walk the focus forward and say which controls of the main form it reached.
_REACHED = """(limit) => {
  const form = document.querySelector('main form[method=post], main form[method=POST]');
  const wanted = [...form.querySelectorAll('input, select, textarea, button')].filter(
    (el) => el.type !== 'hidden' && !el.disabled && el.checkVisibility());
  return wanted.map((el) => el.name || el.id || el.textContent.trim());
}"""


@pytest.mark.parametrize(("role", "path"), FORMS, ids=[p for _r, p in FORMS])
def test_every_form_is_filled_and_sent_with_the_keyboard_alone(open_page, demo, role, path):
    page = open_page(PHONE, geolocation=False)
    _log_in(page, ROLES[role], "en")
    page.goto(path)
    reached: list[str] = []
    page.locator("main h1").first.click()  # start in the page, after the header
    for _ in range(150):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const el = document.activeElement;
              const form = el && el.closest('main form[method=post], main form[method=POST]');
              const r = el.getBoundingClientRect();
              return {inForm: !!form, name: el.name || el.id || el.textContent.trim(),
                      visible: r.width > 0 && r.height > 0,
                      // In a date field the browser's own calendar button takes a Tab stop
                      // of its own, inside the field, with the browser's own focus ring.
                      ring: getComputedStyle(el).outlineStyle !== 'none'
                            || getComputedStyle(el).boxShadow !== 'none'
                            || (el.type.startsWith('date') && !el.matches(':focus')),
                      closed: el.tagName === 'SUMMARY' && !el.parentElement.open,
                      last: !!form
                            && el === [...form.querySelectorAll('button[type=submit]')].pop()};
            }"""
        )
        if not info["inForm"]:
            continue
        assert info["visible"], f"focus went to a hidden control: {info['name']}"
        assert info["ring"], f"no focus indicator on {info['name']}"
        reached.append(info["name"])
        if info["closed"]:
            page.keyboard.press("Enter")  # "More details": a keyboard user opens it
        if info["last"]:
            break
    wanted = page.evaluate(_REACHED, 0)
    missing = [name for name in wanted if name not in reached]
    assert missing == [], f"{path}: the keyboard never reaches {missing}"
    with page.expect_navigation():
        page.keyboard.press("Enter")  # send it, as typed (or empty)
    assert page.evaluate("document.activeElement !== document.body") or page.url.endswith(path)
    if page.locator("[data-error-summary]").count():
        focused = page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
        assert focused, f"{path}: after a refused send, focus is not on the error summary"


def test_the_header_folds_on_a_phone_and_the_menu_opens_and_closes_by_keyboard(open_page, demo):
    page = open_page(PHONE)
    _log_in(page, ROLES["coordinator"], "cy")
    menu = page.locator("#site-menu")
    toggle = page.locator("header.top .menu-toggle")
    assert not menu.is_visible() and toggle.is_visible()
    toggle.focus()
    page.keyboard.press("Enter")
    assert menu.is_visible() and toggle.get_attribute("aria-expanded") == "true"
    assert page.get_by_role("link", name="Adroddiadau", exact=True).is_visible()
    page.keyboard.press("Escape")
    assert not menu.is_visible() and toggle.get_attribute("aria-expanded") == "false"


def test_the_focus_ring_has_three_to_one_contrast_with_the_page(open_page, demo):
    page = open_page(PHONE)
    _log_in(page, ROLES["peer"], "en")
    page.goto("/handouts/new")
    page.locator("#quantity").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    colours = page.evaluate(
        """() => [getComputedStyle(document.activeElement).outlineColor,
                  getComputedStyle(document.body).backgroundColor]"""
    )
    ring, background = (_rgb(c) for c in colours)
    assert _contrast(ring, background) >= 3


def _rgb(text: str) -> tuple[float, float, float]:
    parts = text[text.index("(") + 1 : text.index(")")].split(",")
    return tuple(float(p) for p in parts[:3])


def _contrast(a, b) -> float:
    def luminance(rgb) -> float:
        c = np.array(rgb) / 255
        c = np.where(c <= 0.03928, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return float(0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2])

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)

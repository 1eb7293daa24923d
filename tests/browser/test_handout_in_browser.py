"""A peer records handouts in a real browser on a tablet: landscape, portrait, bad input."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from outreach.extensions import db
from outreach.handouts.models import Handout
from tests.browser.support import LANDSCAPE, PORTRAIT, SWANSEA, log_in

pytestmark = pytest.mark.browser

MIN_TARGET = 44  # px: the smallest comfortable touch target


def _handouts_of(live_server, team) -> list[Handout]:
    with live_server.ctx():
        rows = db.session.scalars(
            select(Handout).where(Handout.giver_id == team.peer_id).order_by(Handout.id)
        ).all()
        for row in rows:
            db.session.expunge(row)
        return list(rows)


def _wait_for_position(page) -> None:
    page.wait_for_function(
        "() => document.querySelector('input[name=latitude]').value !== ''"
        " && document.querySelector('input[name=longitude]').value !== ''"
    )


def test_peer_saves_a_handout_by_gps_at_1024_landscape(open_page, live_server, team):
    page = open_page(LANDSCAPE)
    log_in(page, team)
    # One tap from home to the form.
    page.get_by_role("link", name="New handout").click()
    page.wait_for_url(re.compile(r"/handouts/new$"))
    assert page.get_by_role("heading", name="New handout").is_visible()

    page.get_by_label("Product").select_option(label=team.product_name)
    page.get_by_label("Number of kits").fill("2")
    page.get_by_label("First supply").check()
    page.get_by_label("Latitude").fill("")
    page.get_by_label("Longitude").fill("")
    page.get_by_role("button", name="Use my position").click()
    _wait_for_position(page)
    assert float(page.get_by_label("Latitude").input_value()) == pytest.approx(
        SWANSEA["latitude"], abs=1e-4
    )
    page.get_by_role("button", name="Save handout").first.click()

    page.wait_for_url(re.compile(r"/handouts/\d+$"))
    assert page.get_by_text("Handout saved.").is_visible()
    (handout,) = _handouts_of(live_server, team)
    assert (handout.quantity, handout.supply, handout.product_id) == (2, "first", team.product_id)
    assert handout.location_source == "gps"
    assert handout.latitude == pytest.approx(SWANSEA["latitude"], abs=1e-4)
    assert handout.longitude == pytest.approx(SWANSEA["longitude"], abs=1e-4)


def test_peer_saves_a_handout_at_a_site_at_768_portrait(open_page, live_server, team):
    page = open_page(PORTRAIT)
    log_in(page, team)
    page.get_by_role("link", name="New handout").click()
    page.wait_for_url(re.compile(r"/handouts/new$"))
    _wait_for_position(page)  # the page asks for the position by itself; take the site instead
    page.get_by_label("Latitude").fill("")
    page.get_by_label("Longitude").fill("")

    page.get_by_label("Product").select_option(label=team.product_name)
    page.get_by_label("Number of kits").fill("1")
    page.get_by_label("First supply").check()
    page.get_by_label("Site").select_option(label=team.site_name)
    page.get_by_role("button", name="Save handout").first.click()

    page.wait_for_url(re.compile(r"/handouts/\d+$"))
    assert page.get_by_text("Handout saved.").is_visible()
    (handout,) = _handouts_of(live_server, team)
    assert (handout.site_id, handout.location_source) == (team.site_id, "site")


def _small_targets(page) -> list[str]:
    """Visible controls on the page whose box is under MIN_TARGET px tall (description, height)."""
    return page.evaluate(
        """(min) => {
          const small = [];
          const visible = (el) => {
            const s = getComputedStyle(el);
            const r = el.getBoundingClientRect();
            return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 0 && r.height > 0;
          };
          const describe = (el) => el.tagName.toLowerCase()
            + (el.name ? `[name=${el.name}]` : '')
            + (el.id ? `#${el.id}` : '')
            + (el.tagName === 'SELECT' ? '' : ` "${(el.innerText || el.value).slice(0, 30)}"`);
          const check = (el, target) => {
            if (!visible(el)) return;
            const h = target.getBoundingClientRect().height;
            if (h < min) small.push(`${describe(el)}: ${h.toFixed(1)}px`);
          };
          const main = document.querySelector('main');
          main.querySelectorAll('button, summary, select, input, textarea').forEach((el) => {
            if (el.type === 'hidden') return;
            if (el.type === 'radio' || el.type === 'checkbox') {
              check(el, el.closest('label') || el);
            } else {
              check(el, el);
            }
          });
          document.querySelectorAll('header nav a, header button, header select').forEach(
            (el) => check(el, el));
          return small;
        }""",
        MIN_TARGET,
    )


def test_new_handout_touch_targets_are_at_least_44px_tall_in_portrait(open_page, team):
    page = open_page(PORTRAIT)
    log_in(page, team)
    page.goto("/handouts/new")
    page.get_by_text("More details (optional)").click()  # show every field
    page.wait_for_function("() => document.querySelector('details.more').open")
    small = _small_targets(page)
    assert small == [], "touch targets under 44px tall:\n" + "\n".join(small)


def test_empty_handout_form_shows_the_error_by_the_field_and_keeps_the_quantity(
    open_page, live_server, team
):
    page = open_page(LANDSCAPE, geolocation=False)
    log_in(page, team)
    page.goto("/handouts/new")
    page.get_by_label("Number of kits").fill("7")
    page.get_by_role("button", name="Save handout").first.click()

    page.wait_for_load_state()
    assert page.get_by_role("alert").first.is_visible()
    supply_error = page.locator("#supply-err")
    assert supply_error.is_visible()
    assert "first or a repeat" in supply_error.inner_text()
    # The message sits in the supply question's own box, next to its choices.
    field_box = page.locator(".field.has-error", has=page.locator("#supply-err"))
    assert field_box.get_by_label("First supply").count() == 1
    assert page.get_by_label("Number of kits").input_value() == "7"
    assert _handouts_of(live_server, team) == []

"""axe-core finds no serious or critical WCAG 2.x A/AA problems on the pages peers use."""

from __future__ import annotations

import pytest

from outreach.auth.models import User
from outreach.extensions import db
from outreach.products.models import Product
from tests import factories
from tests.browser.support import PORTRAIT, log_in

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = {"serious", "critical"}


# Rule ids known to fail because of shared templates this suite does not own: {rule: reason}.
def _axe(page, axe_source: str) -> list[dict]:
    # The page's CSP runs only scripts carrying its nonce: axe is given the page's own.
    page.evaluate(
        """(source) => {
          const s = document.createElement('script');
          s.nonce = document.querySelector('script[nonce]').nonce;
          s.textContent = source;
          document.head.appendChild(s);
        }""",
        axe_source,
    )
    result = page.evaluate(
        """async (tags) => {
          const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
          return r.violations.map((v) => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map((n) => ({
              target: n.target.join(' '), html: n.html.slice(0, 160),
              summary: n.failureSummary,
            })),
          }));
        }""",
        WCAG_TAGS,
    )
    return [v for v in result if v["impact"] in BLOCKING]


def _report(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}  {node['html']}")
            lines.append("      " + (node["summary"] or "").replace("\n", "\n      "))
    return "\n".join(lines)


def _check(page, axe_source: str) -> None:
    violations = _axe(page, axe_source)
    assert violations == [], f"axe on {page.url}:\n" + _report(violations)


def test_login_page_has_no_serious_accessibility_violations(open_page, axe_source):
    page = open_page()
    page.goto("/login")
    _check(page, axe_source)


def test_login_page_with_an_error_has_no_serious_accessibility_violations(
    open_page, team, axe_source
):
    page = open_page()
    page.goto("/login")
    page.get_by_label("Username").fill(team.username)
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    _check(page, axe_source)


PEER_PAGES = [
    "/",
    "/handouts/new",
    "/handouts/tally",
    "/handouts/",
    "/contacts/new",
    "/contacts/",
    "/overdoses/new",
    "/overdoses/",
]


@pytest.mark.parametrize("path", PEER_PAGES)
def test_peer_page_has_no_serious_accessibility_violations(open_page, team, axe_source, path):
    page = open_page(PORTRAIT)
    log_in(page, team)
    response = page.goto(path)
    assert response is not None and response.status == 200
    assert page.locator("main h1").count() == 1
    _check(page, axe_source)


def test_handout_detail_has_no_serious_accessibility_violations(
    open_page, live_server, team, axe_source
):
    with live_server.ctx():
        handout = factories.HandoutFactory(
            giver=db.session.get(User, team.peer_id),
            product=db.session.get(Product, team.product_id),
        )
        db.session.commit()
        handout_id = handout.id
    page = open_page(PORTRAIT)
    log_in(page, team)
    page.goto(f"/handouts/{handout_id}")
    assert page.get_by_role("heading", level=1).is_visible()
    _check(page, axe_source)


def test_rejected_handout_form_has_no_serious_accessibility_violations(open_page, team, axe_source):
    page = open_page(PORTRAIT, geolocation=False)
    log_in(page, team)
    page.goto("/handouts/new")
    page.get_by_role("button", name="Save handout").first.click()
    page.wait_for_load_state()
    assert page.locator(".has-error").count() > 0
    _check(page, axe_source)


def test_outbox_page_with_refused_records_has_no_serious_accessibility_violations(
    open_page, team, axe_source
):
    page = open_page(PORTRAIT)
    log_in(page, team)
    page.goto("/offline/outbox")
    refused = {
        "kind": "handout",
        "client_id": "0b7c2f0e-5d0a-4f6c-9a53-3c1d2b4e5f60",
        "data": {"product_id": team.product_id, "quantity": 2, "supply": "first"},
        "user": str(team.peer_id),
        "saved_at": "2026-11-18T09:00:00Z",
        "state": "refused",
        "errors": [{"field": "occurred_at", "reason": "The time cannot be in the future."}],
        "http_status": 422,
    }
    page.evaluate(
        "(row) => window.OutreachOutbox.update(row).then(() => window.outreachOffline.render())",
        refused,
    )
    page.locator('[data-client-id] a:has-text("Correct it")').wait_for()
    _check(page, axe_source)

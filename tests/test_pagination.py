"""Every paged list in the app, walked page by page through its own "Next" links.

Each list gets more rows than one page (PAGE_SIZE is made small here, so a test stays fast):
every page answers 200, no row shows on two pages, and together the pages show every row.
Following the pager's own links is the point: the stock holding page answered 500 on page 2
when the pager dropped the path's holding_id."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest

from outreach.audit.models import AuditEvent
from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.maps.models import SpikeAlert
from outreach.models.base import utcnow
from outreach.overdoses.models import OverdoseReport
from outreach.stock import services as svc

PER_PAGE = 3
ROWS = 7  # three pages: 3 + 3 + 1
NEXT = re.compile(r'<a class="btn secondary" href="([^"]+)">Next</a>')


@pytest.fixture(autouse=True)
def _small_pages(app, monkeypatch):
    monkeypatch.setitem(app.config, "PAGE_SIZE", PER_PAGE)


def walk(client, url: str, marker: str) -> list[set[str]]:
    """The markers found on each page, from `url` on through the pager's "Next" links."""
    pages = []
    while url:
        resp = client.get(url)
        assert resp.status_code == 200, (url, resp.status_code)
        body = resp.get_data(as_text=True)
        pages.append(set(re.findall(marker, body)))
        found = NEXT.search(body)
        url = html.unescape(found.group(1)) if found else None
        assert len(pages) <= ROWS, "the pager does not end"
    return pages


def assert_walks_every_row(pages: list[set[str]], expected: set[str]) -> None:
    assert len(pages) >= 3, pages
    assert pages[1], "page 2 shows no rows"
    for i, page in enumerate(pages):
        assert len(page) <= PER_PAGE
        for other in pages[:i]:
            assert not page & other, "a row shows on two pages"
    assert set().union(*pages) >= expected
    assert pages[1] - pages[0], "page 2 shows nothing page 1 did not"


def _org_user(make, role: str, **kw):
    user = make.user(role=role, **kw)
    make.commit()
    return user


def test_a_stock_holdings_ledger_pages(client, auth, make, app):
    org = make.org(tracks_stock=True)
    site = make.site(organisation=org)
    manager = make.user(role="stock_manager", organisation=org)
    product = make.product()
    make.commit()
    with app.test_request_context():
        for i in range(ROWS):
            svc.receive(
                site=site,
                product=product,
                batch_number="PG1",
                expiry_date=date.today() + timedelta(days=300),
                quantity=1,
                reference=f"PAGEREF{i}",
                supplier="Martindale",
                recorded_by=manager,
            )
    db.session.commit()
    store = svc.store_for(site)
    db.session.commit()
    auth.login(manager)
    pages = walk(client, f"/stock/holdings/{store.id}", r"PAGEREF\d+")
    assert_walks_every_row(pages, {f"PAGEREF{i}" for i in range(ROWS)})


def test_handouts_list_pages(client, auth, make):
    peer = _org_user(make, "peer")
    ids = {str(make.handout(giver=peer).id) for _ in range(ROWS)}
    make.commit()
    auth.login(peer)
    assert_walks_every_row(walk(client, "/handouts/?kind=single", r"/handouts/(\d+)\""), ids)


def test_overdose_reports_list_pages(client, auth, make):
    peer = _org_user(make, "peer")
    rows = [
        OverdoseReport(
            org_id=peer.org_id,
            recorded_by_id=peer.id,
            occurred_at=utcnow() - timedelta(hours=i),
            latitude=51.62,
            longitude=-3.94,
            administered_by="peer",
        )
        for i in range(ROWS)
    ]
    db.session.add_all(rows)
    make.commit()
    auth.login(peer)
    pages = walk(client, "/overdoses/", r"/overdoses/(\d+)\"")
    assert_walks_every_row(pages, {str(r.id) for r in rows})


def test_contacts_list_pages(client, auth, make):
    peer = _org_user(make, "peer")
    rows = [
        OutreachContact(
            org_id=peer.org_id,
            recorded_by_id=peer.id,
            occurred_at=utcnow() - timedelta(hours=i),
            latitude=51.62,
            longitude=-3.94,
            setting="street",
        )
        for i in range(ROWS)
    ]
    db.session.add_all(rows)
    make.commit()
    auth.login(peer)
    pages = walk(client, "/contacts/", r"/contacts/(\d+)\"")
    assert_walks_every_row(pages, {str(r.id) for r in rows})


def test_training_sessions_list_pages(client, auth, make):
    trainer = _org_user(make, "trainer", trained=False)
    sessions = [
        make.train(trainer, held_on=date.today() - timedelta(days=10 + i)) for i in range(ROWS)
    ]
    make.commit()
    auth.login(trainer)
    pages = walk(client, "/trainings/", r"/trainings/(\d+)\"")
    assert_walks_every_row(pages, {str(s.id) for s in sessions})


def test_admin_users_list_pages(client, auth, make):
    admin = _org_user(make, "org_admin", display_name="Admin Person")
    names = {
        make.user(organisation=admin.organisation, display_name=f"Member {i:02d}").display_name
        for i in range(ROWS)
    }
    make.commit()
    auth.login(admin)
    pages = walk(client, "/admin/users", r"Member \d\d")
    assert_walks_every_row(pages, names)


def test_admin_sites_list_pages(client, auth, make):
    admin = _org_user(make, "org_admin")
    names = {
        make.site(organisation=admin.organisation, name=f"Base {i:02d}").name for i in range(ROWS)
    }
    make.commit()
    auth.login(admin)
    pages = walk(client, "/admin/sites", r"Base \d\d")
    assert_walks_every_row(pages, names)


def test_audit_log_pages(client, auth, make):
    admin = _org_user(make, "org_admin")
    db.session.add_all(
        AuditEvent(
            at=utcnow() - timedelta(days=1, minutes=i),
            user_id=admin.id,
            org_id=admin.org_id,
            action="update",
            record_type="site",
            record_id=i,
            detail=f"auditmark{i}",
        )
        for i in range(ROWS)
    )
    make.commit()
    auth.login(admin)
    pages = walk(client, "/audit/?action=update", r"auditmark\d+")
    assert_walks_every_row(pages, {f"auditmark{i}" for i in range(ROWS)})


def test_spike_alerts_list_pages(client, auth, make):
    coordinator = _org_user(make, "coordinator")
    now = utcnow()
    db.session.add_all(
        SpikeAlert(
            org_id=coordinator.org_id,
            scope="area",
            key=f"area:Alert area {i:02d}",
            area=f"Alert area {i:02d}",
            window="24h",
            started_at=now - timedelta(hours=30 + i),
            detected_at=now - timedelta(hours=i),
            count=4,
            threshold=3,
            latitude=51.62,
            longitude=-3.94,
        )
        for i in range(ROWS)
    )
    make.commit()
    auth.login(coordinator)
    pages = walk(client, "/map/alerts", r"Alert area \d\d")
    assert_walks_every_row(pages, {f"Alert area {i:02d}" for i in range(ROWS)})

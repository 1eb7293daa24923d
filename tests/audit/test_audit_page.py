"""The audit log page: every code shown in the reader's language, searched by action, person
and local day."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

from outreach.audit.labels import ACTION_LABELS, RECORD_TYPE_LABELS
from outreach.audit.models import ACTIONS, AuditEvent
from outreach.extensions import db

PACKAGE = Path(__file__).resolve().parents[2] / "outreach"
AUDIT_CALLS = {"audit", "record", "audit_create", "_audit", "audit_change"}


def _audited_codes() -> tuple[set[str], set[str]]:
    """The action and record type literals passed to the audit helpers in the code."""
    actions, types = set(), set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            first = [a.value if isinstance(a, ast.Constant) else None for a in node.args[:2]]
            if name in ("audit", "_audit") and len(first) == 2 and first[0] in ACTIONS:
                actions.add(first[0])
                if first[1] is not None:
                    types.add(first[1])
            elif name == "audit_create" and first and first[0] is not None:
                types.add(first[0])
            for keyword in node.keywords:
                if keyword.arg == "record_type" and isinstance(keyword.value, ast.Constant):
                    types.add(keyword.value.value)
    return actions, types


def test_every_action_and_record_type_the_code_writes_has_a_translated_label():
    actions, types = _audited_codes()
    assert set(ACTION_LABELS) == set(ACTIONS)
    assert actions and types
    assert actions <= set(ACTION_LABELS)
    assert types <= set(RECORD_TYPE_LABELS), sorted(types - set(RECORD_TYPE_LABELS))
    from outreach.api.records import AUDIT_TYPES

    assert set(AUDIT_TYPES.values()) <= set(RECORD_TYPE_LABELS)


def _event(admin, action, record_type, at, user=None):
    db.session.add(
        AuditEvent(
            action=action,
            record_type=record_type,
            user_id=(user or admin).id,
            org_id=admin.org_id,
            at=at,
        )
    )


@pytest.fixture
def logged(make, auth):
    org = make.org(timezone="Europe/Stockholm")
    admin = make.user("org_admin", organisation=org)
    peer = make.user(organisation=org, display_name="Sam Peer")
    _event(admin, "void", "handout", datetime(2026, 11, 10, 9, tzinfo=UTC), peer)
    _event(admin, "view", "stock_movement", datetime(2026, 11, 12, 22, 30, tzinfo=UTC))
    _event(admin, "export", "contact", datetime(2026, 11, 12, 23, 30, tzinfo=UTC))
    make.commit()
    auth.login(admin)
    return admin, peer


def test_codes_are_shown_in_welsh_and_swedish(client, logged):
    client.post("/language", data={"language": "cy", "next": "/"})
    page = client.get("/audit/").get_data(as_text=True)
    assert ">void<" not in page and ">stock_movement<" not in page
    assert "Dirymwyd" in page and "Symudiad stoc" in page
    client.post("/language", data={"language": "sv", "next": "/"})
    page = client.get("/audit/").get_data(as_text=True)
    assert "Makulerad" in page and "Lagerrörelse" in page


def test_the_log_is_searched_by_person_action_and_local_day(client, logged):
    admin, peer = logged

    def shown(query: str) -> list[str]:
        page = client.get("/audit/?" + query).get_data(as_text=True)
        return [a for a in ("Voided", "Viewed", "Exported") if f"<td>{a}</td>" in page]

    assert shown(f"user={peer.id}") == ["Voided"]
    assert shown("action=export") == ["Exported"]
    # 22:30 and 23:30 UTC on 12 November are 23:30 on the 12th and 00:30 on the 13th in Göteborg.
    assert shown("start=2026-11-13&end=2026-11-13") == ["Exported"]
    assert shown("start=2026-11-12&end=2026-11-12") == ["Viewed"]

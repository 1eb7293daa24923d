"""What each role may do: the capabilities table, role by capability, and pages and API calls
that refuse or allow by it; and no module outside outreach/access.py compares roles."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from flask_login import AnonymousUserMixin

from outreach.access import CAPABILITIES, can, require, roles_with
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.trainings.services import record_session
from outreach.vocab import ROLES
from tests.api.conftest import Api, bodies, new_id, token_for

P, T, C, S, OA, A = "peer", "trainer", "coordinator", "stock_manager", "org_admin", "platform_admin"
# The table written out again, by hand: a change to outreach/access.py must change this too.
EXPECTED = {
    "record_field_work": {P, T, C, S, OA},
    "record_for_others": {T, C, S, OA},
    "correct_any_record": {C, OA},
    "read_org_records": {T, C, S, OA},
    "export_lists": {T, C, S, OA},
    "view_trainings": {P, T, C, S, OA, A},
    "record_training": {T, C, OA},
    "lead_training": {T, C, OA},
    "attend_training": {P, T},
    "hold_stock": {P, T, C, S, OA, A},
    "manage_stock": {C, S, OA, A},
    "read_reports": {T, C, S, OA, A},
    "view_map": {T, C, S, OA, A},
    "report_hot_spots": {P, T, C, S, OA, A},
    "acknowledge_alerts": {C, OA, A},
    "administer_org": {OA, A},
    "need_two_step": {C, S, OA, A},
    "administer_platform": {A},
}


class _Someone:
    def __init__(self, role):
        self.role = role


def test_the_table_names_every_capability_and_only_known_roles():
    assert set(CAPABILITIES) == set(EXPECTED)
    assert set().union(*CAPABILITIES.values()) <= set(ROLES)


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("capability", list(EXPECTED))
def test_each_role_has_exactly_the_capabilities_of_the_table(role, capability):
    assert can(_Someone(role), capability) is (role in EXPECTED[capability])


def test_anonymous_and_unknown_roles_may_do_nothing_and_an_unknown_capability_is_a_bug():
    assert not any(can(AnonymousUserMixin(), c) for c in CAPABILITIES)
    assert not any(can(_Someone("visitor"), c) for c in CAPABILITIES)
    with pytest.raises(KeyError):
        can(_Someone(P), "fly")
    with pytest.raises(KeyError):
        require("fly")


def test_roles_with_lists_the_roles_for_a_query():
    assert roles_with("attend_training") == ("peer", "trainer")
    assert roles_with("lead_training") == ("coordinator", "org_admin", "trainer")


def test_the_user_model_answers_through_the_same_table(app, make):
    peer, admin = make.user(P), make.user(A)
    assert not peer.can("read_org_records") and peer.can("record_field_work")
    assert admin.can("administer_platform") and not admin.can("record_field_work")


PAGES = [
    ("/stock/", {C, S, OA, A}),
    ("/stock/bag", {P, T, C, S, OA, A}),
    ("/reports/monthly?month=2026-10", {T, C, S, OA, A}),
    ("/map", {T, C, S, OA, A}),
    ("/map/hot-spots", {P, T, C, S, OA, A}),
    ("/trainings/lapsing", {T, C, OA}),
    ("/handouts/", {P, T, C, S, OA}),
    ("/handouts/export.csv", {T, C, S, OA}),
    ("/admin/users", {OA, A}),
    ("/audit/", {OA, A}),
    ("/admin/organisations", {A}),
]


@pytest.mark.parametrize(("path", "allowed"), PAGES)
def test_pages_refuse_403_or_allow_by_capability(client, auth, make, path, allowed):
    org = make.org(tracks_stock=True)
    users = {role: make.user(role, organisation=org) for role in ROLES}
    make.commit()
    for role, user in users.items():
        auth.login(user)
        status = client.get(path).status_code
        assert (status == 403) is (role not in allowed), (path, role, status)
        assert status in (200, 403), (path, role, status)
        auth.logout()


@pytest.fixture
def world(app, make):
    """An organisation with a trained peer, a coordinator and a site; one product."""

    class World:
        pass

    w = World()
    w.org = make.org()
    w.peer = make.user(P, organisation=w.org)
    w.coordinator = make.user(C, organisation=w.org)
    w.site = make.site(organisation=w.org)
    w.product = make.product()
    make.commit()
    return w


def test_the_api_refuses_field_work_from_the_platform_admin_as_the_pages_do(client, world, make):
    # The API once let the platform admin record (it counted as an org admin); pages did not.
    admin = make.user(A, organisation=world.org)
    make.commit()
    api = Api(client, token_for(client, admin))
    body = {"client_id": new_id(), **bodies(world)["handout"]}
    assert api.post("/handouts", body).status_code == 403
    api = Api(client, token_for(client, world.peer))
    assert api.post("/handouts", {**body, "client_id": new_id()}).status_code == 201


def test_a_peer_names_no_other_giver_and_staff_may(client, auth, world, make):
    make.train(world.coordinator)
    make.commit()
    auth.login(world.peer)
    assert 'name="giver_id"' not in client.get("/handouts/new").get_data(as_text=True)
    auth.logout()
    auth.login(world.coordinator)
    assert 'name="giver_id"' in client.get("/handouts/new").get_data(as_text=True)


def test_the_platform_admin_cannot_be_named_a_sessions_trainer(app, make):
    # The form's trainer list left the platform admin out; the service let them in.
    org = make.org()
    admin, peer = make.user(A, organisation=org), make.user(P, organisation=org)
    make.commit()
    with pytest.raises(DomainError) as refused:
        record_session(
            org_id=org.id,
            recorded_by=admin,
            trainer=admin,
            held_on=date(2026, 11, 1),
            place="Hall",
            kind="refresher",
            topics=[],
            attendee_users=[peer],
        )
    assert refused.value.field == "trainer_id"
    db.session.rollback()


ROOT = Path(__file__).resolve().parents[2]
ROLE_TEST = re.compile(
    r"""has_role|require_role|\brole\s*(==|!=|not in|in)\s*[("'\[]|role\.in_\(\(|"""
    r"""\b(RECORDERS|TRAINERS|MANAGERS|HOLDERS|VIEWERS|\w+_ROLES)\b"""
)


def test_no_module_or_template_outside_access_compares_roles():
    found = []
    files = [*ROOT.joinpath("outreach").rglob("*.py"), *ROOT.joinpath("templates").rglob("*.html")]
    for path in files:
        rel = path.relative_to(ROOT).as_posix()
        if rel == "outreach/access.py" or rel.startswith("outreach/seed/"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ROLE_TEST.search(line):
                found.append(f"{rel}:{number}: {line.strip()}")
    assert found == []

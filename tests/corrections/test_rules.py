"""Who may correct or void a record: the same answer from the pages and the API, by role, by
organisation and by the organisation's correction period."""

from __future__ import annotations

import pytest
import time_machine

from outreach.extensions import db
from tests.api.conftest import token_for
from tests.corrections.conftest import days_ago

# role → what a correction of a peer's handout of yesterday gets (page and API alike)
EXPECTED = {
    "peer": 200,  # who recorded it
    "other_peer": 404,  # a peer sees only their own records
    "trainer": 403,  # sees the organisation's records, corrects only their own
    "coordinator": 200,
    "admin": 200,
    "platform": 403,  # records no field work, changes none
    "outsider": 404,  # another organisation
}


def _page_status(client, auth, user, path):
    auth.login(user)
    status = client.get(path).status_code
    auth.logout()
    return status


def _api_status(client, user, method, path, body):
    token = token_for(client, user)
    call = client.patch if method == "PATCH" else client.post
    return call(path, json=body, headers={"Authorization": f"Bearer {token}"}).status_code


@pytest.mark.parametrize("role", EXPECTED)
def test_the_pages_and_the_api_answer_alike_for_every_role(client, auth, world, role):
    with time_machine.travel(days_ago(1), tick=False):
        handout = world.handout()
    user = getattr(world, role)
    assert _page_status(client, auth, user, f"/handouts/{handout.id}/edit") == EXPECTED[role]
    assert _page_status(client, auth, user, f"/handouts/{handout.id}/void") == EXPECTED[role]
    api = f"/api/v1/handouts/{handout.id}"
    assert _api_status(client, user, "PATCH", api, {}) == EXPECTED[role]
    refused = EXPECTED[role] != 200
    void = _api_status(client, user, "POST", api + "/void", {"reason": "Recorded twice"})
    assert void == (EXPECTED[role] if refused else 200)
    db.session.expire_all()
    assert handout.voided is not refused


@pytest.mark.parametrize(
    ("role", "age", "days", "allowed"),
    [
        ("peer", 6.9, 7, True),
        ("peer", 7.1, 7, False),  # the default period is over
        ("peer", 20, 30, True),  # a longer period set by the organisation
        ("peer", 0.1, 0, False),  # 0: only coordinators and administrators
        ("coordinator", 400, 7, True),  # at any time
        ("admin", 400, 0, True),
        ("trainer", 0.1, 7, True),  # their own record
    ],
)
def test_the_correction_period_counts_from_when_the_record_was_made(
    client, auth, world, role, age, days, allowed
):
    world.org.correction_days = days
    user = getattr(world, role)
    with time_machine.travel(days_ago(age), tick=False):
        contact = world.contact(by=user if role == "trainer" else world.peer)
    auth.login(user)
    assert client.get(f"/contacts/{contact.id}/edit").status_code == (200 if allowed else 403)
    page = client.get(f"/contacts/{contact.id}").get_data(as_text=True)
    assert (f"/contacts/{contact.id}/void" in page) is allowed


def test_a_recorder_past_the_period_is_told_whom_to_ask(client, auth, world):
    with time_machine.travel(days_ago(10), tick=False):
        report = world.overdose()
    auth.login(world.peer)
    page = client.get(f"/overdoses/{report.id}").get_data(as_text=True)
    assert "for 7 days. Ask a coordinator." in page
    assert f"/overdoses/{report.id}/edit" not in page


def test_the_org_admin_sets_the_correction_period_on_the_settings_page(client, auth, world):
    auth.login(world.admin)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'name="correction_days"' in page and 'value="7"' in page
    data = {"timezone": "Europe/London", "correction_days": 30}
    assert client.post("/admin/settings", data=data).status_code == 302
    db.session.expire_all()
    assert world.org.correction_days == 30
    refused = client.post("/admin/settings", data={**data, "correction_days": 400})
    assert refused.status_code == 422 and 'value="400"' in refused.get_data(as_text=True)
    auth.logout()
    auth.login(world.coordinator)
    assert client.post("/admin/settings", data=data).status_code == 403

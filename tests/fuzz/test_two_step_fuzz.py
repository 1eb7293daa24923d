"""The two-step verification forms, which the crawl of tests/test_forms_fuzz.py cannot reach
(they show only to a person who has set it up), fuzzed the same way: odd codes and passwords
answer no 500 and, refused, change no record."""

from __future__ import annotations

from sqlalchemy import delete

from outreach.auth.models import User
from outreach.extensions import db
from outreach.throttle.models import ThrottleCount
from tests.auth.conftest import code_now, enrol
from tests.factories import PASSWORD
from tests.fuzz.pages import parse
from tests.fuzz.test_forms_fuzz import csrf_on, fuzz  # noqa: F401 - the fixture

# The endpoints fuzzed here, counted as reached by the crawl's completeness test.
TWO_STEP = {"auth.verify": "/login/verify"}
ACCOUNT = {
    "auth.new_codes": "/account/two-step/codes",
    "auth.two_step_off": "/account/two-step/off",
}


def _forms(client, page: str) -> dict:
    forms, _links = parse(page, client.get(page).get_data(as_text=True))
    return {f.action: f for f in forms}


def _password_step(client, user: User):
    login = _forms(client, "/login")["/login"]
    data = {**login.defaults(), "username": user.username, "password": PASSWORD}
    return client.post("/login", data=data)


def test_the_two_step_forms_answer_no_500_and_change_nothing_when_refused(client, make, csrf_on):  # noqa: F811
    coordinator = make.user("coordinator")
    make.commit()
    secret, _codes = enrol(coordinator)
    assert _password_step(client, coordinator).headers["Location"] == "/login/verify"
    verify = _forms(client, "/login/verify")
    assert set(TWO_STEP.values()) <= set(verify)
    fuzz(client, verify[TWO_STEP["auth.verify"]], 8)

    # In at last (the wrong codes above slowed this address down: start afresh).
    db.session.execute(delete(ThrottleCount))
    db.session.commit()
    client.delete_cookie("session")
    assert _password_step(client, coordinator).status_code == 302
    form = _forms(client, "/login/verify")["/login/verify"]
    res = client.post("/login/verify", data={**form.defaults(), "code": code_now(secret)})
    assert res.status_code == 302 and res.headers["Location"] != "/login/verify"
    account = _forms(client, "/account/two-step")
    assert set(ACCOUNT.values()) <= set(account)
    for action in ACCOUNT.values():
        fuzz(client, _forms(client, "/account/two-step")[action], 6)
    db.session.expire_all()
    assert db.session.get(User, coordinator.id).totp_secret  # still on: no odd post turned it off

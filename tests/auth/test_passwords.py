"""One password rule (12+ characters, not a common password, not the username) for every way a
password is set: the service, the forms, the command line; the demo and test passwords meet it."""

from __future__ import annotations

import pytest

from outreach.auth.passwords import MIN_LENGTH, common_passwords, password_problem
from outreach.auth.services import UserError, create_user, set_password
from outreach.extensions import db
from outreach.seed.places import NATIONAL_PASSWORD, PASSWORDS
from tests.factories import PASSWORD

COMMON = ["password1234", "123456789012", "qwertyuiop12", "naloxone1234", "outreach1234"]


def test_the_bundled_list_is_long_and_holds_the_obvious_ones():
    listed = common_passwords()
    assert len(listed) >= 3000
    assert set(COMMON) <= listed
    assert all(p == p.lower() for p in listed)


@pytest.mark.parametrize("password", COMMON + ["PassWord1234", "NALOXONE1234", "Qwertyuiop12"])
def test_a_common_password_is_refused_whatever_its_case(password):
    assert "most common" in str(password_problem(password))


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("elevenchars", "at least 12 characters"),
        ("x" * 257, "at most 256 characters"),
        ("dai.evans-is-me", "may not be mostly the username"),
        ("DAI.EVANS.2026!", "may not be mostly the username"),
    ],
)
def test_short_long_and_username_passwords_are_refused(password, message):
    assert message in str(password_problem(password, "dai.evans"))


def test_twelve_uncommon_characters_pass():
    assert MIN_LENGTH == 12
    assert password_problem("kettle-moss-4") is None
    assert password_problem("tea on the quay", "dai") is None


def test_the_demo_and_test_passwords_meet_the_rule():
    for role, password in PASSWORDS.items():
        assert password_problem(password, role) is None, role
    assert password_problem(NATIONAL_PASSWORD) is None
    assert password_problem(PASSWORD, "user1") is None


def test_create_user_and_set_password_use_the_rule(app, make):
    org = make.org()
    with pytest.raises(UserError, match="most common"):
        create_user("dai", "Password1234", org, "peer")
    user = create_user("dai", "tea on the quay", org, "peer")
    with pytest.raises(UserError, match="12 characters"):
        set_password(user, "too short")
    db.session.rollback()


def test_the_command_line_refuses_a_common_password(app, runner, make):
    org = make.org()
    make.commit()
    args = ["create-user", "dai", "--org", org.name, "--role", "peer", "--password"]
    refused = runner.invoke(args=[*args, "qwertyuiop12"])
    assert refused.exit_code != 0 and "most common" in refused.output
    assert runner.invoke(args=[*args, "tea on the quay"]).exit_code == 0


def test_the_admins_new_member_form_refuses_a_common_password(client, auth, make):
    admin = make.user("org_admin")
    make.commit()
    auth.login(admin)
    data = {"username": "dai", "display_name": "Dai", "role": "peer", "password": "naloxone1234"}
    resp = client.post("/admin/users/new", data=data)
    assert "That password is one of the most common ones: choose another." in resp.get_data(
        as_text=True
    )
    assert resp.status_code == 422


def test_a_new_own_password_may_not_be_common(client, auth, make):
    peer = make.user()
    make.commit()
    auth.login(peer)
    data = {"current_password": PASSWORD, "new_password": "Password1234", "confirm": "Password1234"}
    resp = client.post("/account/password", data=data)
    assert resp.status_code == 422 and "most common" in resp.get_data(as_text=True)

"""Two-step verification: setting it up (secret as text and QR code), the second step of a
login, single-use recovery codes, no code twice, sealed secrets, and the organisation's rule."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest

from outreach.audit.models import AuditEvent
from outreach.auth import mfa
from outreach.auth.models import User
from outreach.extensions import db
from tests.auth.conftest import code_now, enrol
from tests.factories import PASSWORD


def _verify(client, code):
    return client.post("/login/verify", data={"code": code})


def _setup_secret(page: str) -> str:
    return re.search(r'<code class="secret" id="totp-secret">([A-Z2-7 ]+)</code>', page)[1].replace(
        " ", ""
    )


def test_setting_up_shows_the_key_and_an_inline_qr_code_without_script(client, auth, make):
    coordinator = make.user("coordinator")
    make.commit()
    auth.login(coordinator)
    page = client.get("/account/two-step").get_data(as_text=True)
    secret = _setup_secret(page)
    assert len(secret) == 32
    assert re.search(r"<svg[^>]*class=\"qr\"", page) and "<title>" in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script
    assert 'autocomplete="one-time-code"' in page


def test_a_right_code_turns_it_on_and_shows_ten_recovery_codes_once(client, auth, make):
    coordinator = make.user("coordinator")
    make.commit()
    auth.login(coordinator)
    secret = _setup_secret(client.get("/account/two-step").get_data(as_text=True))
    wrong = client.post("/account/two-step", data={"code": "000000"})
    assert wrong.status_code == 422 and "That code is not right." in wrong.get_data(as_text=True)
    resp = client.post("/account/two-step", data={"code": code_now(secret)})
    page = resp.get_data(as_text=True)
    codes = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", page)
    assert resp.status_code == 200 and len(set(codes)) == 10
    user = db.session.get(User, coordinator.id)
    assert user.totp_secret and secret not in user.totp_secret  # sealed, not readable
    assert mfa.unseal(user.totp_secret) == secret
    assert all(code not in user.recovery_codes for code in codes)  # only keyed hashes
    assert (
        "two-step verification is on"
        in client.get("/account/two-step").get_data(as_text=True).lower()
    )  # this session goes on; the codes are not shown again
    event = db.session.query(AuditEvent).filter_by(action="update", detail="mfa enrolled").one()
    assert event.record_type == "user" and event.record_id == coordinator.id


def test_login_asks_for_the_code_after_the_password(client, auth, make):
    coordinator = make.user("coordinator")
    make.commit()
    secret, _codes = enrol(coordinator)
    resp = auth.login(coordinator)
    assert resp.status_code == 302 and resp.headers["Location"] == "/login/verify"
    assert client.get("/").status_code == 302  # not in yet
    assert _verify(client, "123456").status_code == 401
    assert _verify(client, code_now(secret)).status_code == 302
    assert client.get("/").status_code == 200
    event = db.session.query(AuditEvent).filter_by(action="login").one()
    assert event.detail == "web, mfa" and event.user_id == coordinator.id


def test_a_code_is_never_accepted_twice(app, client, auth, make):
    coordinator = make.user("coordinator")
    make.commit()
    secret, _codes = enrol(coordinator)
    code = code_now(secret)
    auth.login(coordinator)
    assert _verify(client, code).status_code == 302
    other = app.test_client()  # someone who saw the code, within the same 30 seconds
    other.post("/login", data={"username": coordinator.username, "password": PASSWORD})
    assert _verify(other, code).status_code == 401
    assert _verify(other, code_now(secret, steps=1)).status_code == 302  # the next one is fine


def test_a_recovery_code_works_once(app, client, auth, make):
    coordinator = make.user("coordinator")
    make.commit()
    _secret, codes = enrol(coordinator)
    auth.login(coordinator)
    resp = _verify(client, codes[3].upper())
    assert resp.status_code == 302
    assert "You used a recovery code: 9 left." in client.get("/").get_data(as_text=True)
    other = app.test_client()
    other.post("/login", data={"username": coordinator.username, "password": PASSWORD})
    assert _verify(other, codes[3]).status_code == 401
    detail = db.session.query(AuditEvent.detail).filter_by(action="login").scalar()
    assert detail == "web, recovery code"


def test_wrong_codes_are_slowed_like_wrong_passwords(client, auth, make):
    coordinator = make.user("coordinator")
    make.commit()
    secret, _codes = enrol(coordinator)
    auth.login(coordinator)
    assert [_verify(client, "000000").status_code for _ in range(5)] == [401] * 5
    refused = _verify(client, code_now(secret))
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    failures = db.session.query(AuditEvent).filter_by(action="login_failed").count()
    assert failures == 6


def test_the_second_step_must_follow_the_password_within_five_minutes(client, auth, make, clock):
    coordinator = make.user("coordinator")
    make.commit()
    secret, _codes = enrol(coordinator)
    auth.login(coordinator)
    clock.shift(timedelta(minutes=6))
    resp = _verify(client, code_now(secret))
    assert resp.status_code == 302 and resp.headers["Location"] == "/login"
    assert client.get("/").status_code == 302


def test_a_required_organisation_sends_coordinators_to_set_it_up_but_not_peers(client, auth, make):
    org = make.org(mfa_required=True)
    coordinator = make.user("coordinator", organisation=org)
    peer = make.user("peer", organisation=org)
    make.commit()
    auth.login(coordinator)
    for path in ("/", "/handouts/", "/account/password"):
        resp = client.get(path)
        assert resp.status_code == 302 and resp.headers["Location"] == "/account/two-step"
    api = client.get("/api/v1/me")
    assert api.status_code == 403 and "two-step" in api.get_json()["detail"]
    page = client.get("/account/two-step").get_data(as_text=True)
    assert "Your organisation requires two-step verification" in page
    auth.logout()
    auth.login(peer)
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("role", ["coordinator", "stock_manager", "org_admin", "platform_admin"])
def test_the_roles_that_handle_stock_and_administration_need_it(app, make, role):
    org = make.org(mfa_required=True)
    assert mfa.required_for(make.user(role, organisation=org))
    assert not mfa.required_for(make.user(role, organisation=make.org()))


@pytest.mark.parametrize("role", ["peer", "trainer"])
def test_peers_and_trainers_on_shared_tablets_are_exempt(app, make, role):
    assert not mfa.required_for(make.user(role, organisation=make.org(mfa_required=True)))


def test_the_org_admin_turns_the_requirement_on_in_the_settings(client, auth, make):
    admin = make.user("org_admin")
    make.commit()
    auth.login(admin)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert 'name="mfa_required"' in page
    data = {"timezone": "Europe/London", "correction_days": 7, "mfa_required": "y"}
    assert client.post("/admin/settings", data=data).status_code == 302
    assert db.session.get(User, admin.id).organisation.mfa_required is True
    event = db.session.query(AuditEvent).filter_by(record_type="organisation").one()
    assert "mfa_required=True" in event.detail
    # Now the administrator too is asked to set it up.
    assert client.get("/").headers["Location"] == "/account/two-step"


def test_turning_it_off_needs_the_password_and_is_refused_when_required(app, client, auth, make):
    coordinator = make.user("coordinator")
    make.commit()
    secret, _codes = enrol(coordinator)
    other = app.test_client()  # the same person on another device
    other.post("/login", data={"username": coordinator.username, "password": PASSWORD})
    _verify(other, code_now(secret))
    auth.login(coordinator)
    _verify(client, code_now(secret, steps=1))
    client.post("/account/two-step/off", data={"off-password": "wrong password!!"})
    assert db.session.get(User, coordinator.id).totp_secret
    client.post("/account/two-step/off", data={"off-password": PASSWORD})
    db.session.expire_all()
    assert db.session.get(User, coordinator.id).totp_secret is None
    assert client.get("/").status_code == 200  # this session goes on, the other one ends
    assert other.get("/").status_code == 302
    assert db.session.query(AuditEvent).filter_by(detail="mfa disabled").count() == 1
    coordinator = db.session.get(User, coordinator.id)
    coordinator.organisation.mfa_required = True
    enrol(coordinator)
    client.post("/account/two-step/off", data={"off-password": PASSWORD})
    db.session.expire_all()
    assert db.session.get(User, coordinator.id).totp_secret


def test_new_recovery_codes_replace_the_old_ones(client, auth, make):
    coordinator = make.user("coordinator")
    make.commit()
    secret, old = enrol(coordinator)
    auth.login(coordinator)
    _verify(client, code_now(secret))
    page = client.post("/account/two-step/codes", data={"codes-password": PASSWORD})
    new = re.findall(r"<li><code>([a-z0-9-]{11})</code></li>", page.get_data(as_text=True))
    assert len(new) == 10
    user = db.session.get(User, coordinator.id)
    db.session.refresh(user)
    assert not mfa.use_recovery_code(user, old[0]) and mfa.use_recovery_code(user, new[0])


def test_a_sealed_secret_needs_the_server_key_and_cannot_be_altered(app, monkeypatch):
    sealed = mfa.seal("JBSWY3DPEHPK3PXP")
    assert "JBSWY3DPEHPK3PXP" not in sealed and mfa.unseal(sealed) == "JBSWY3DPEHPK3PXP"
    altered = sealed[:-3] + ("A" if sealed[-3] != "A" else "B") + sealed[-2:]
    assert mfa.unseal(altered) is None
    monkeypatch.setitem(app.config, "SECRET_KEY", "another key")
    assert mfa.unseal(sealed) is None


def test_codes_from_the_clock_step_either_side_are_accepted_for_drift(app, make):
    user = make.user("coordinator")
    secret, _codes = enrol(user)
    assert mfa.check_totp(user, pyotp.TOTP(secret).now())
    assert not mfa.check_totp(user, code_now(secret, steps=-1))  # earlier than one used
    assert mfa.check_totp(user, code_now(secret, steps=1))
    assert not mfa.check_totp(user, code_now(secret, steps=3))


def test_the_command_line_resets_a_lost_second_factor(app, runner, make):
    coordinator = make.user("coordinator")
    make.commit()
    enrol(coordinator)
    result = runner.invoke(args=["auth", "reset-two-step", coordinator.username, "--yes"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    user = db.session.get(User, coordinator.id)
    assert user.totp_secret is None and user.recovery_codes is None
    assert db.session.query(AuditEvent).filter_by(detail="mfa reset by command line").count() == 1
    again = runner.invoke(args=["auth", "reset-two-step", coordinator.username, "--yes"])
    assert again.exit_code != 0 and "has no two-step verification" in again.output

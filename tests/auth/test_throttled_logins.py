"""Password guessing is slowed, never locked: per account and address strictly, per account
loosely, per address over every account; X-Forwarded-For only behind a configured proxy."""

from __future__ import annotations

from datetime import timedelta

import pytest

from outreach import create_app
from tests.factories import PASSWORD

WRONG = "not the password"


def _login(client, username, password, address="10.0.0.1", headers=None):
    return client.post(
        "/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
        headers=headers or {},
    )


def test_five_failures_make_the_address_wait_15_seconds_then_it_gets_in(client, make, clock):
    peer = make.user()
    make.commit()
    assert [_login(client, peer.username, WRONG).status_code for _ in range(5)] == [401] * 5
    refused = _login(client, peer.username, PASSWORD)
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) == 15
    assert "Try again in 15 seconds." in refused.get_data(as_text=True)
    clock.shift(timedelta(seconds=16))
    assert _login(client, peer.username, PASSWORD).status_code == 302


def test_each_further_failure_doubles_the_wait_up_to_five_minutes(client, make, clock):
    peer = make.user()
    make.commit()
    for _ in range(5):
        _login(client, peer.username, WRONG)
    waits = []
    for _ in range(7):
        resp = _login(client, peer.username, WRONG)
        waits.append(int(resp.headers["Retry-After"]))
        clock.shift(timedelta(seconds=waits[-1] + 1))
        _login(client, peer.username, WRONG)  # the next failure, once allowed
    assert waits == [15, 30, 60, 120, 240, 300, 300]


def test_a_strangers_failures_do_not_keep_the_real_user_out(client, make):
    peer = make.user()
    make.commit()
    for _ in range(20):
        _login(client, peer.username, WRONG, address="203.0.113.9")
    assert _login(client, peer.username, PASSWORD, address="203.0.113.9").status_code == 429
    assert _login(client, peer.username, PASSWORD, address="10.1.1.1").status_code == 302


def test_under_a_spread_attack_failed_addresses_are_slowed_at_once_fresh_ones_still_get_in(
    app, client, make, monkeypatch
):
    monkeypatch.setitem(app.config, "LOGIN_ACCOUNT_FAILURES", 10)
    peer = make.user()
    make.commit()
    for i in range(10):  # ten addresses, one guess each: none of them over its own limit
        _login(client, peer.username, WRONG, address=f"198.51.100.{i}")
    # The account is under attack: an address that has failed on it waits from its 1st failure,
    assert _login(client, peer.username, PASSWORD, address="198.51.100.3").status_code == 429
    # and the real user, from an address that has not failed, gets in.
    assert _login(client, peer.username, PASSWORD, address="10.2.2.2").status_code == 302


def test_one_address_failing_on_many_accounts_waits_for_its_window(client, make, clock):
    peer = make.user()
    make.commit()
    for i in range(50):
        _login(client, f"guess{i}", WRONG, address="192.0.2.7")
    refused = _login(client, peer.username, PASSWORD, address="192.0.2.7")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 800
    assert _login(client, peer.username, PASSWORD, address="192.0.2.8").status_code == 302
    clock.shift(timedelta(minutes=15))
    client.post("/logout")
    assert _login(client, peer.username, PASSWORD, address="192.0.2.7").status_code == 302


def test_unknown_usernames_are_slowed_like_known_ones(client):
    codes = [_login(client, "nobody-here", WRONG).status_code for _ in range(6)]
    assert codes == [401] * 5 + [429]


def test_a_success_forgets_the_addresss_failures_on_the_account(client, make):
    peer = make.user()
    make.commit()
    for _ in range(4):
        _login(client, peer.username, WRONG)
    assert _login(client, peer.username, PASSWORD).status_code == 302
    client.post("/logout")
    assert [_login(client, peer.username, WRONG).status_code for _ in range(5)] == [401] * 5


def test_x_forwarded_for_is_ignored_without_a_configured_proxy(client, make):
    peer = make.user()
    make.commit()
    for i in range(6):  # a forged header per try does not make a new address
        resp = _login(client, peer.username, WRONG, headers={"X-Forwarded-For": f"10.9.9.{i}"})
    assert resp.status_code == 429


@pytest.mark.parametrize("hops", [1])
def test_behind_a_configured_proxy_the_forwarded_address_is_the_clients(
    app, make, database_url, hops
):
    peer = make.user()
    make.commit()
    proxied = create_app(
        {**app.config, "SQLALCHEMY_DATABASE_URI": database_url, "PROXY_FIX_X_FOR": hops}
    )
    try:
        client = proxied.test_client()
        for _ in range(6):
            resp = _login(client, peer.username, WRONG, headers={"X-Forwarded-For": "10.7.7.7"})
        assert resp.status_code == 429  # that client waits,
        other = _login(client, peer.username, PASSWORD, headers={"X-Forwarded-For": "10.8.8.8"})
        assert other.status_code == 302  # another behind the same proxy does not
    finally:
        with proxied.app_context():
            from outreach.extensions import db

            db.engine.dispose()

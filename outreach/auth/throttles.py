"""Slowing down password guessing without locking the real user out (ASVS 6.3.1).

Three counters, kept by outreach.throttle so every worker shares them, over a window of
LOGIN_WINDOW_MINUTES:

- per account and address (strict): LOGIN_PAIR_FAILURES failures are free; each further one
  makes that address wait LOGIN_DELAY_SECONDS, doubling at each failure, never more than
  LOGIN_MAX_DELAY_SECONDS after the last failure;
- per account (loose): once LOGIN_ACCOUNT_FAILURES failures come from anywhere, the free
  failures end for every address that has already failed on the account (the delays above
  apply from its first failure), but an address that has not failed on it still gets in with
  the right password: a stranger cannot keep the real user out;
- per address (over every account): LOGIN_ADDRESS_FAILURES failures, then that address waits
  until its window ends.

A wrong second factor (a TOTP or recovery code) counts as a failure like a wrong password.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from outreach.throttle import Limit, clear, count, hit, wait_seconds


def _cfg(name: str) -> int:
    return int(current_app.config[name])


def _window() -> timedelta:
    return timedelta(minutes=_cfg("LOGIN_WINDOW_MINUTES"))


def _keys(username: str, address: str | None) -> tuple[str, str, str, str]:
    address = address or "-"
    return (
        f"login:pair:{username}|{address}",
        f"login:wait:{username}|{address}",
        f"login:account:{username}",
        f"login:address:{address}",
    )


def _free(account_key: str) -> int:
    """Failures an address may make on the account before it is slowed."""
    attacked = count(account_key, Limit(_cfg("LOGIN_ACCOUNT_FAILURES"), _window()))
    return 0 if attacked >= _cfg("LOGIN_ACCOUNT_FAILURES") else _cfg("LOGIN_PAIR_FAILURES")


def _delay(failures: int, free: int) -> timedelta:
    seconds = _cfg("LOGIN_DELAY_SECONDS") * 2 ** min(failures - free, 20)
    return timedelta(seconds=min(seconds, _cfg("LOGIN_MAX_DELAY_SECONDS")))


def login_wait(username: str, address: str | None) -> int:
    """Seconds `address` must wait before trying `username` again (0: it may try now)."""
    pair, wait, account, by_address = _keys(username, address)
    window = _window()
    waits = [wait_seconds(by_address, Limit(_cfg("LOGIN_ADDRESS_FAILURES"), window))]
    failures = count(pair, Limit(1, window))
    free = _free(account)
    if failures and failures >= free:
        waits.append(wait_seconds(wait, Limit(1, _delay(failures, free))))
    return max(waits)


def login_failed(username: str, address: str | None) -> None:
    """Count a failed login (wrong password, unknown user, wrong second factor)."""
    pair, wait, account, by_address = _keys(username, address)
    window = _window()
    hit(account, Limit(_cfg("LOGIN_ACCOUNT_FAILURES"), window))
    hit(by_address, Limit(_cfg("LOGIN_ADDRESS_FAILURES"), window))
    hit(pair, Limit(1, window))
    clear(wait)  # `wait` keeps the time of this, the latest failure: any delay runs from it
    hit(wait, Limit(1, window))


def login_succeeded(username: str, address: str | None) -> None:
    """The address got in: its own failures on the account are forgotten (not the account's,
    nor the address's over other accounts)."""
    pair, wait, _account, _by_address = _keys(username, address)
    clear(pair)
    clear(wait)

"""The audit events of logging in and out: "login", "login_failed", "logout".

`detail` says how ("web", "api", with ", mfa" or ", recovery code" for the second factor,
", throttled" when the address had to wait). No password is ever written. A failure for an
unknown username keeps no user and no username, only a keyed digest of it
(services.username_digest), so repeated tries at one name can be seen together while a password
typed in the username box cannot be read back.
"""

from __future__ import annotations

from outreach.audit.services import record
from outreach.auth.models import User
from outreach.auth.services import username_digest


def logged_in(user: User, how: str, address: str | None) -> None:
    record("login", "user", user.id, user=user, detail=how, remote_addr=address)


def login_failed(user: User | None, username: str, how: str, address: str | None) -> None:
    if user is None:
        how = f"{how}, unknown username #{username_digest(username)}"
    record(
        "login_failed",
        "user",
        getattr(user, "id", None),
        user=user,
        detail=how,
        remote_addr=address,
    )


def logged_out(user: User, address: str | None) -> None:
    record("logout", "user", user.id, user=user, detail="web", remote_addr=address)


def account_changed(user: User, what: str, address: str | None) -> None:
    """One's own password changed, two-step verification turned on or off, new recovery codes
    (an "update" of the user)."""
    record("update", "user", user.id, user=user, detail=what, remote_addr=address)

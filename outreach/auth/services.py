"""Logins (slowed by outreach.auth.throttles), user accounts and their passwords."""

from __future__ import annotations

import hashlib
import hmac

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from outreach.auth.models import User
from outreach.auth.passwords import hash_password, needs_rehash, password_problem, verify_hash
from outreach.auth.throttles import login_failed, login_succeeded, login_wait
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.orgs.models import Organisation
from outreach.vocab import ROLES


class AuthError(Exception):
    """Base of the domain errors raised here."""


class InvalidCredentials(AuthError):
    """Wrong username, password or second factor; `user` is the account when it exists (for the
    audit log), None for an unknown username."""

    def __init__(self, user: User | None = None):
        super().__init__()
        self.user = user


class TooManyAttempts(AuthError):
    """Too many recent failures from this address: try again in `wait` seconds."""

    def __init__(self, wait: int, user: User | None = None):
        super().__init__(wait)
        self.wait = wait
        self.user = user


class UserError(AuthError, DomainError):
    """A user account change refused; `field` names the input at fault."""


def check_password(user: User, password: str) -> bool:
    if not verify_hash(user.password_hash, password):
        return False
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return True


# A real hash to verify against when the username is unknown, so timing does not tell.
_DUMMY_HASH: dict[str, str] = {}


def _norm(username: str) -> str:
    return username.strip().lower()[:64]


def _find(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def authenticate(username: str, password: str, address: str | None = None) -> User:
    """The user for these credentials, unless `address` must wait (TooManyAttempts).

    Failures are counted (outreach.auth.throttles); a success forgets this address's failures
    on the account, except when a second factor is still to come (second_factor_checked)."""
    key = _norm(username)
    user = _find(key)
    if wait := login_wait(key, address):
        raise TooManyAttempts(wait, user)
    if user is None:
        if "h" not in _DUMMY_HASH:
            _DUMMY_HASH["h"] = hash_password("not-a-real-password")
        verify_hash(_DUMMY_HASH["h"], password)
        ok = False
    else:
        ok = check_password(user, password) and user.is_active
    if not ok:
        login_failed(key, address)
        raise InvalidCredentials(user)
    if not user.totp_secret:
        login_succeeded(key, address)
    return user


def confirm_password(user: User, password: str, address: str | None) -> bool:
    """The password of someone already logged in, asked again before a change to their second
    factor; failures are counted (and slowed) as a login's."""
    if login_wait(user.username, address):
        return False
    if check_password(user, password):
        return True
    login_failed(user.username, address)
    return False


def second_factor_checked(user: User, ok: bool, address: str | None) -> None:
    """Count a second factor: a wrong one as a failed login, a right one as the login's end."""
    (login_succeeded if ok else login_failed)(user.username, address)


def second_factor_wait(user: User, address: str | None) -> int:
    return login_wait(user.username, address)


def username_digest(username: str) -> str:
    """A keyed digest of a typed username (for the audit log of unknown names): the same name
    gives the same digest, but the name (perhaps a password typed in the wrong box) cannot be
    read or guessed back without SECRET_KEY."""
    key = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    mac = hmac.new(key, b"login username:" + _norm(username).encode("utf-8"), hashlib.sha256)
    return mac.hexdigest()[:16]


def check_new_password(password: str, username: str | None = None) -> None:
    """Raise UserError unless `password` meets the rule (outreach.auth.passwords)."""
    if (problem := password_problem(password or "", username)) is not None:
        raise UserError("password", problem)


def end_sessions(user: User) -> None:
    """Invalidate every session cookie issued to this user so far."""
    user.session_version = (user.session_version or 1) + 1


def create_user(
    username: str,
    password: str,
    org: Organisation,
    role: str,
    display_name: str | None = None,
) -> User:
    username = _norm(username)
    if role not in ROLES:
        raise UserError("role", _l("Unknown role."))
    if not username or len(username) > 64:
        raise UserError("username", _l("A username has 1 to 64 characters."))
    check_new_password(password, username)
    if db.session.scalar(select(User.id).where(User.username == username)):
        raise UserError("username", _l("That username is taken."))
    user = User(
        username=username,
        display_name=(display_name or username).strip(),
        password_hash=hash_password(password),
        org_id=org.id,
        organisation=org,
        role=role,
    )
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """A new password (meeting the rule); every session and API token of the user ends."""
    check_new_password(password, user.username)
    user.password_hash = hash_password(password)
    end_sessions(user)


def change_password(user: User, current: str, new: str, address: str | None = None) -> None:
    """A person's own new password, given the current one (checked as a login is, so failures
    are slowed like a login's). Every other session and API token of theirs ends; the caller
    logs the current session in again."""
    if wait := login_wait(user.username, address):
        raise TooManyAttempts(wait, user)
    if not check_password(user, current):
        login_failed(user.username, address)
        raise InvalidCredentials(user)
    if new == current:
        raise UserError("new_password", _l("Choose a password different from the current one."))
    try:
        set_password(user, new)
    except UserError as exc:
        raise UserError("new_password", exc.message) from None
    db.session.flush()


def org_members(org_id: int, roles: tuple[str, ...] | None = None) -> list[User]:
    stmt = select(User).where(User.org_id == org_id, User.active).order_by(User.display_name)
    if roles:
        stmt = stmt.where(User.role.in_(roles))
    return list(db.session.scalars(stmt))


def update_user(user: User, *, display_name: str, role: str, active: bool) -> None:
    """Change a user's name, role and whether they may log in; deactivating logs them out."""
    display_name = (display_name or "").strip()
    if role not in ROLES:
        raise UserError("role", _l("Unknown role."))
    if not display_name or len(display_name) > 120:
        raise UserError("display_name", _l("A display name has 1 to 120 characters."))
    if user.active and not active:
        end_sessions(user)
    user.display_name = display_name
    user.role = role
    user.active = active
    db.session.flush()

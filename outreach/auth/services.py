"""Passwords, logins with a shared throttle, and user accounts."""

from __future__ import annotations

import contextlib
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from outreach.auth.models import LoginFailure, User
from outreach.domain import DomainError
from outreach.extensions import db
from outreach.models.base import utcnow
from outreach.orgs.models import Organisation
from outreach.vocab import ROLES


class AuthError(Exception):
    """Base of the domain errors raised here."""


class InvalidCredentials(AuthError):
    pass


class AccountLocked(AuthError):
    def __init__(self, until: datetime):
        super().__init__(until)
        self.until = until


class UserError(AuthError, DomainError):
    """A user account change refused; `field` names the input at fault."""


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_KIB"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def check_password(user: User, password: str) -> bool:
    hasher = _hasher()
    try:
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return True


# A real hash to verify against when the username is unknown, so timing does not tell.
_DUMMY_HASH: dict[str, str] = {}


def _norm(username: str) -> str:
    return username.strip().lower()


def _locked_until(key: str) -> datetime | None:
    row = db.session.get(LoginFailure, key)
    if row and row.locked_until and row.locked_until > utcnow():
        return row.locked_until
    return None


def _record_failure(key: str) -> None:
    cfg = current_app.config
    now = utcnow()
    window_start = now - timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"])
    # A single UPDATE is atomic on both engines, so parallel workers never lose a count.
    result = db.session.execute(
        update(LoginFailure)
        .where(LoginFailure.username == key, LoginFailure.first_failure_at >= window_start)
        .values(failures=LoginFailure.failures + 1)
    )
    if result.rowcount == 0:
        db.session.execute(delete(LoginFailure).where(LoginFailure.username == key))
        try:
            with db.session.begin_nested():
                db.session.add(LoginFailure(username=key, failures=1, first_failure_at=now))
        except IntegrityError:  # another worker inserted it first: count on that row
            db.session.execute(
                update(LoginFailure)
                .where(LoginFailure.username == key)
                .values(failures=LoginFailure.failures + 1)
            )
    db.session.execute(
        update(LoginFailure)
        .where(LoginFailure.username == key, LoginFailure.failures >= cfg["LOGIN_MAX_FAILURES"])
        .values(locked_until=now + timedelta(minutes=cfg["LOGIN_LOCK_MINUTES"]))
    )


def authenticate(username: str, password: str) -> User:
    """Return the user for these credentials, counting failures per account."""
    key = _norm(username)
    if until := _locked_until(key):
        raise AccountLocked(until)
    user = db.session.scalar(select(User).where(User.username == key))
    if user is None:
        if "h" not in _DUMMY_HASH:
            _DUMMY_HASH["h"] = hash_password("not-a-real-password")
        with contextlib.suppress(VerificationError):
            _hasher().verify(_DUMMY_HASH["h"], password)
        ok = False
    else:
        ok = check_password(user, password) and user.is_active
    if not ok:
        _record_failure(key)
        if until := _locked_until(key):
            raise AccountLocked(until)
        raise InvalidCredentials()
    db.session.execute(delete(LoginFailure).where(LoginFailure.username == key))
    return user


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
    if len(password) < 10:
        raise UserError("password", _l("A password needs at least 10 characters."))
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
    if len(password) < 10:
        raise UserError("password", _l("A password needs at least 10 characters."))
    user.password_hash = hash_password(password)
    end_sessions(user)


def change_password(user: User, current: str, new: str) -> None:
    """A person's own new password, given the current one (checked as a login is, so failures
    count towards the account's lock). Every other session and API token of theirs ends; the
    caller logs the current session in again."""
    authenticate(user.username, current)  # raises InvalidCredentials or AccountLocked
    if new == current:
        raise UserError("new_password", _l("Choose a password different from the current one."))
    set_password(user, new)
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

"""Passwords: the one rule every new password meets, and hashing them (Argon2id).

The rule (ASVS 6.2): at least MIN_LENGTH characters, at most MAX_LENGTH, not in the bundled list
of common passwords (common_passwords.txt, compared case-insensitively; it holds the app's own
words too: outreach, naloxone, the demo places), and not mostly the username (what is left
without it has fewer than 8 characters). No composition rules: a few unrelated words make a
good password. `password_problem` holds the rule; create_user, set_password, change_password,
every form (PasswordRule) and the command line use it.
"""

from __future__ import annotations

import functools
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

MIN_LENGTH = 12
MAX_LENGTH = 256


@functools.cache
def common_passwords() -> frozenset[str]:
    """The bundled list, lower case (comments and blank lines left out)."""
    text = resources.files("outreach.auth").joinpath("common_passwords.txt").read_text("utf-8")
    lines = (line.strip().lower() for line in text.splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def password_problem(password: str, username: str | None = None):
    """Why `password` may not be used (a translatable message), or None when it may."""
    if len(password) < MIN_LENGTH:
        return _l("A password needs at least %(n)d characters.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _l("A password has at most %(n)d characters.", n=MAX_LENGTH)
    lowered = password.lower()
    if lowered in common_passwords() or lowered.strip() in common_passwords():
        return _l("That password is one of the most common ones: choose another.")
    name = (username or "").strip().lower()
    if len(name) >= 3 and len(lowered.replace(name, "")) < MIN_LENGTH - 4:
        return _l("A password may not be mostly the username.")
    return None


class PasswordRule:
    """The form validator: `password_problem` for the field's data (the username, when the form
    has a field of that name, is checked too)."""

    def __call__(self, form, field) -> None:
        if not field.data:
            return
        username = getattr(getattr(form, "username", None), "data", None)
        if (problem := password_problem(field.data, username)) is not None:
            raise ValidationError(str(problem))


def _hasher() -> PasswordHasher:
    cfg = current_app.config
    return PasswordHasher(
        time_cost=cfg["ARGON2_TIME_COST"],
        memory_cost=cfg["ARGON2_MEMORY_KIB"],
        parallelism=cfg["ARGON2_PARALLELISM"],
    )


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_hash(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)

"""Two-step verification: TOTP (RFC 6238) codes and single-use recovery codes.

The TOTP secret is stored sealed (HMAC-SHA256 keystream and tag, keys derived from SECRET_KEY):
a copy of the database alone does not give it. A code's time step is remembered, so no code is
accepted twice. Recovery codes are stored only as salted, keyed hashes (HMAC-SHA256 with a key
derived from SECRET_KEY, a random salt per code) and shown once. Changing SECRET_KEY therefore
ends every enrolment: people set it up again (README, Security).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from flask import current_app
from sqlalchemy import or_, update

from outreach.auth.models import User
from outreach.extensions import db

RECOVERY_CODES = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and typed safely
STEP = 30
ISSUER = "Outreach"


def _key(purpose: str) -> bytes:
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hmac.new(secret, f"outreach {purpose} v1".encode(), hashlib.sha256).digest()


def _stream(nonce: bytes, length: int) -> bytes:
    key, blocks = _key("totp seal"), b""
    counter = 0
    while len(blocks) < length:
        blocks += hmac.new(key, nonce + counter.to_bytes(4, "big"), hashlib.sha256).digest()
        counter += 1
    return blocks[:length]


def seal(text: str) -> str:
    """Encrypt-then-MAC `text` with keys derived from SECRET_KEY."""
    plain = text.encode("utf-8")
    nonce = secrets.token_bytes(16)
    cipher = bytes(a ^ b for a, b in zip(plain, _stream(nonce, len(plain)), strict=True))
    tag = hmac.new(_key("totp tag"), nonce + cipher, hashlib.sha256).digest()[:16]
    return "v1." + base64.urlsafe_b64encode(nonce + cipher + tag).decode("ascii")


def unseal(sealed: str | None) -> str | None:
    """The text `seal` sealed, or None when it is missing, altered or sealed with another key."""
    if not sealed or not sealed.startswith("v1."):
        return None
    try:
        raw = base64.urlsafe_b64decode(sealed[3:].encode("ascii"))
    except ValueError:
        return None
    nonce, cipher, tag = raw[:16], raw[16:-16], raw[-16:]
    good = hmac.new(_key("totp tag"), nonce + cipher, hashlib.sha256).digest()[:16]
    if len(raw) < 33 or not hmac.compare_digest(tag, good):
        return None
    plain = bytes(a ^ b for a, b in zip(cipher, _stream(nonce, len(cipher)), strict=True))
    return plain.decode("utf-8")


def required_for(user: User) -> bool:
    """Whether `user` must use two-step verification: their organisation requires it and their
    role has the capability "need_two_step" (outreach/access.py; peers and trainers on shared
    tablets do not)."""
    return bool(user.organisation.mfa_required) and user.can("need_two_step")


def enrolled(user: User) -> bool:
    return bool(user.totp_secret)


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(uri: str, title: str) -> str:
    """An inline SVG QR code of `uri`, made here (no script, no outside service)."""
    return segno.make(uri, error="m").svg_inline(scale=4, title=title, svgclass="qr")


def _digits(code: str) -> str:
    return "".join(ch for ch in code if not ch.isspace())


def _matching_step(secret: str, code: str, after: int | None) -> int | None:
    """The time step (now, or one either side for clock drift) at which `code` is right."""
    code = _digits(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp, now = pyotp.TOTP(secret), int(time.time()) // STEP
    for step in (now, now - 1, now + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.at(step * STEP), code):
            return step
    return None


def _use_step(user: User, step: int) -> bool:
    """Remember `step` as used, unless another request already used it (or a later one)."""
    unused = or_(User.totp_last_step.is_(None), User.totp_last_step < step)
    return _claim(user, unused, totp_last_step=step)


def _claim(user: User, condition, **values) -> bool:
    """Set `values` on `user` only if `condition` still holds in the database: one conditional
    UPDATE, so of two requests using the same code at once only one succeeds."""
    result = db.session.execute(
        update(User)
        .where(User.id == user.id, condition)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    for name, value in values.items():
        setattr(user, name, value)
    return True


def check_totp(user: User, code: str) -> bool:
    secret = unseal(user.totp_secret)
    if secret is None:
        return False
    step = _matching_step(secret, code, user.totp_last_step)
    return step is not None and _use_step(user, step)


def _code_hash(code: str, salt: str) -> str:
    """`salt$digest`: HMAC-SHA256 (keyed from SECRET_KEY) of a random salt and the code."""
    normal = _digits(code).replace("-", "").lower()
    mac = hmac.new(_key("recovery code"), f"{salt}:{normal}".encode(), hashlib.sha256)
    return f"{salt}${mac.hexdigest()}"


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh codes for `user` (the old ones stop working); only their salted, keyed hashes
    are kept."""
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    user.recovery_codes = " ".join(_code_hash(c, secrets.token_hex(8)) for c in codes)
    return codes


def _matching_hash(hashes: list[str], code: str) -> str | None:
    found = None
    for stored in hashes:
        salt = stored.partition("$")[0]
        if hmac.compare_digest(_code_hash(code, salt), stored):
            found = stored
    return found


def use_recovery_code(user: User, code: str) -> bool:
    """Accept one unused recovery code, once (two requests with the same code: one wins)."""
    stored = user.recovery_codes or ""
    hashes = stored.split()
    wanted = _matching_hash(hashes, code)
    if wanted is None:
        return False
    left = " ".join(h for h in hashes if h != wanted)
    return _claim(user, User.recovery_codes == stored, recovery_codes=left)


def recovery_codes_left(user: User) -> int:
    return len((user.recovery_codes or "").split())


def second_factor(user: User, code: str) -> str | None:
    """Which second factor `code` is ("mfa" or "recovery code"), or None if it is neither."""
    if not code or len(code) > 64:
        return None
    if check_totp(user, code):
        return "mfa"
    if use_recovery_code(user, code):
        return "recovery code"
    return None


def enrol(user: User, secret: str, code: str) -> list[str] | None:
    """Turn two-step verification on with `secret`, once `code` proves the app has it; the
    recovery codes to show once, or None when the code is wrong."""
    step = _matching_step(secret, code, None)
    if step is None:
        return None
    user.totp_secret = seal(secret)
    user.totp_last_step = step
    codes = new_recovery_codes(user)
    db.session.flush()
    return codes


def disable(user: User) -> None:
    user.totp_secret = None
    user.totp_last_step = None
    user.recovery_codes = None
    db.session.flush()

"""Pseudonymous client codes: built from initials, birth date and sex, kept only as a keyed hash.

The tablet (or, without JavaScript, the server) turns the typed parts into a digest: an
HMAC-SHA256 of "II|YYYY-MM-DD|S" under a tablet key derived from the deployment's key and
served in the logged-in form pages; the parts themselves are never stored. The server keeps
only HMAC-SHA256(deployment key, digest), so the same person links across visits and organisations
of one deployment while nobody without the key can test guesses against the stored value.
Anything else stored that is derived from a code (an API receipt's hash of the record sent) is
keyed the same way: `receipt_mac`. docs/client-codes.md says what remains.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from datetime import date

from flask import current_app

DIGEST_RE = re.compile(r"^[0-9a-f]{64}$")
SEXES = ("F", "M", "X")


class ClientCodeError(ValueError):
    def __init__(self, field: str, reason: str):
        super().__init__(reason)
        self.field = field
        self.reason = reason


def normalise_initials(initials: str) -> str:
    letters = [c for c in unicodedata.normalize("NFC", initials or "").upper() if c.isalpha()]
    return "".join(letters)


def code_string(initials: str, birth_date: date, sex: str) -> str:
    ini = normalise_initials(initials)
    if len(ini) != 2:
        raise ClientCodeError("client_initials", "two initials: first name and family name")
    if not (date(1900, 1, 1) <= birth_date <= date.today()):
        raise ClientCodeError("client_dob", "date of birth out of range")
    sex = (sex or "").upper()
    if sex not in SEXES:
        raise ClientCodeError("client_sex", "unknown sex code")
    return f"{ini}|{birth_date.isoformat()}|{sex}"


def code_digest(initials: str, birth_date: date, sex: str, key: str | None = None) -> str:
    """The digest the tablet computes, and the server the same way without JavaScript: an
    HMAC-SHA256 of "II|YYYY-MM-DD|S" under the tablet key (`tablet_key`), so a digest kept on
    a tablet or seen on its way cannot be tested against guessed birth dates without that key.
    `key`: CLIENT_CODE_KEY (by default the running app's)."""
    key = current_app.config["CLIENT_CODE_KEY"] if key is None else key
    code = code_string(initials, birth_date, sex).encode("utf-8")
    return hmac.new(derived_key(key, "tablet"), code, hashlib.sha256).hexdigest()


def tablet_key(key: str) -> str:
    """The key the tablet makes client codes with (hex), served in the logged-in form pages:
    derived from CLIENT_CODE_KEY for this one use, so it tells nothing of the server's key."""
    return derived_key(key, "tablet").hex()


def legacy_digest(initials: str, birth_date: date, sex: str) -> str:
    """The digest before revision 0013: a plain SHA-256 of the parts. Records stored before
    keep HMAC(key, this); only erasure (which has the parts) still needs it: stored_hashes."""
    return hashlib.sha256(code_string(initials, birth_date, sex).encode("utf-8")).hexdigest()


def stored_hashes(initials: str, birth_date: date, sex: str, key: str) -> tuple[str, str]:
    """Every form in which a code of these parts may be stored: the current one, and the one
    of records made before revision 0013 (they do not link with later records)."""
    return (
        keyed_hash(code_digest(initials, birth_date, sex, key), key),
        keyed_hash(legacy_digest(initials, birth_date, sex), key),
    )


def keyed_hash(digest: str, key: str) -> str:
    """What is stored: an HMAC of the digest under the deployment's secret key."""
    digest = (digest or "").strip().lower()
    if not DIGEST_RE.match(digest):
        raise ClientCodeError("client_code_digest", "not a SHA-256 hex digest")
    return hmac.new(key.encode("utf-8"), digest.encode("ascii"), hashlib.sha256).hexdigest()


def derived_key(key: str, purpose: str) -> bytes:
    """A key for one use only, derived from the deployment's CLIENT_CODE_KEY (HMAC-SHA256 as
    the derivation), so no two uses of the secret can be played against each other."""
    return hmac.new(key.encode("utf-8"), f"outreach:{purpose}".encode(), hashlib.sha256).digest()


def receipt_mac(payload: str, key: str) -> str:
    """What an API receipt keeps of a payload (which may hold a client code digest): an HMAC of
    its SHA-256 under a key derived for receipts. Without the key a stolen receipt cannot be
    tested against guessed payloads (a year of birth dates). Keying the SHA-256, not the text,
    let migration 0013 convert the receipts stored before as HMAC(key, old value)."""
    inner = hashlib.sha256(payload.encode("utf-8")).hexdigest()
    receipts_key = derived_key(key, "api-receipt")
    return hmac.new(receipts_key, inner.encode("ascii"), hashlib.sha256).hexdigest()

"""Looking a client code up: throttled per user, audited in every organisation it touches.

Every page and endpoint that shows supplies for a client code goes through `look_up`: the
rule of what it shows is `queries.code_history` (own supplies in full, of others only "supplied
elsewhere in the last 90 days: yes/no"); the throttle keeps a user from trying a year of birth
dates against it; the audit tells each organisation whose records matched which organisation
looked (never who, nor the code).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app

from outreach import throttle
from outreach.audit.services import record as audit
from outreach.handouts.queries import CodeHistory, code_history


class LookupThrottled(Exception):
    """The user has made CLIENT_LOOKUP_PER_MINUTE look-ups this minute."""

    def __init__(self, wait: int):
        super().__init__(f"retry in {wait} s")
        self.wait = wait


def lookup_limit() -> throttle.Limit:
    return throttle.Limit(current_app.config["CLIENT_LOOKUP_PER_MINUTE"], timedelta(minutes=1))


def lookup_key(user) -> str:
    return f"client-lookup:user:{user.id}"


def look_up(client_hash: str, user, remote_addr: str | None, limit: int = 10) -> CodeHistory:
    """`user`'s look-up of a keyed client code: counted, answered by the rule, audited (the
    caller commits, the refused hit included). Raises LookupThrottled over the limit."""
    key, rule = lookup_key(user), lookup_limit()
    if throttle.hit(key, rule) > rule.limit:
        raise LookupThrottled(throttle.wait_seconds(key, rule))
    history = code_history(client_hash, user.org_id, limit)
    audit("view", "client_code", user=user, detail="supply history", remote_addr=remote_addr)
    looker = f"client code looked up by {user.organisation.name}"
    for org_id in history.other_org_ids:
        # The other organisation's log names the organisation, not the person or address.
        audit("view", "client_code", org_id=org_id, detail=looker)
    return history

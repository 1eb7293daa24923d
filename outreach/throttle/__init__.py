"""Rate limits shared by every worker: counts kept in the database, one rule for every limit.

A limit is "at most `limit` hits per `window` for a key" (a key names what is counted: an
account's login failures, an address's, a user's client-code look-ups). The count lives in one
row per key and window, changed by single UPDATE statements, so two workers (or two
processes behind gunicorn) never lose a hit, on SQLite and PostgreSQL alike.
"""

from outreach.throttle.services import Limit, clear, count, hit, purge, wait_seconds

__all__ = ["Limit", "clear", "count", "hit", "purge", "wait_seconds"]

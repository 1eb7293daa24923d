"""The audit log's filters."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from outreach.audit.labels import ACTION_LABELS
from outreach.listing import CodeField, IdField, ListFilters


class AuditFilters(ListFilters):
    action = CodeField(_l("Action"), codes=tuple(ACTION_LABELS))
    user = IdField(_l("User"))

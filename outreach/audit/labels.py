"""What the audit log's codes mean, in the reader's language: one place for every page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTION_LABELS = {
    "create": _l("Created"),
    "update": _l("Changed"),
    "void": _l("Voided"),
    "view": _l("Viewed"),
    "login": _l("Logged in"),
    "logout": _l("Logged out"),
    "login_failed": _l("Failed login"),
    "export": _l("Exported"),
    "delete": _l("Deleted"),
    "denied": _l("Refused"),
    "purge": _l("Removed after the retention period"),
    "erase": _l("Client code erased"),
}

RECORD_TYPE_LABELS = {
    "user": _l("User"),
    "organisation": _l("Organisation"),
    "site": _l("Site"),
    "area": _l("Area"),
    "product": _l("Product"),
    "handout": _l("Handout"),
    "contact": _l("Outreach contact"),
    "overdose_report": _l("Overdose report"),
    "training_session": _l("Training session"),
    "client_code": _l("Client code"),
    "stock_movement": _l("Stock movement"),
    "resupply_request": _l("Request for kits"),
    "partnership": _l("Partnership"),
    "batch_trace": _l("Where a batch went"),
    "page": _l("Page"),
    "map": _l("Map"),
    "hot_spot": _l("Hot spot"),
    "spike_alert": _l("Spike alert"),
    "report": _l("Monthly report"),
    "list": _l("List"),
    "audit_log": _l("Audit log"),
    "training_attendance": _l("Training attendance"),
    "api_receipt": _l("Tablet upload receipt"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))


def record_type_label(code: str) -> str:
    return str(RECORD_TYPE_LABELS.get(code, code))

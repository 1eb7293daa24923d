"""What each role may do: the one table of capabilities, `can`, and the `require` view guard.

Views, the API, services and templates ask for a capability ("may this person manage stock?"),
never for a role. To give a role a new power, or take one away, change CAPABILITIES below and
its test (tests/access/test_capabilities.py); nothing else restates it.
"""

from __future__ import annotations

import functools
from typing import Any

from flask import abort, request
from flask_login import current_user, login_required

from outreach.audit.services import record_denial

PEER = "peer"
TRAINER = "trainer"
COORDINATOR = "coordinator"
STOCK_MANAGER = "stock_manager"
ORG_ADMIN = "org_admin"
PLATFORM_ADMIN = "platform_admin"

# The platform administrator runs the deployment: they manage organisations, products and
# partnerships and may do what an organisation administrator does, but record no field work and
# read no organisation's person-level records (handouts, contacts, overdose reports, training
# records): without read_org_records, `outreach.tenancy.visible` leaves them their own rows only,
# and they have none. They see aggregate figures of every organisation, suppressed.
CAPABILITIES: dict[str, frozenset[str]] = {
    # Record handouts, tallies, contacts and overdose reports (pages and API).
    "record_field_work": frozenset({PEER, TRAINER, COORDINATOR, STOCK_MANAGER, ORG_ADMIN}),
    # Name another member of the organisation as a handout's giver; a peer records only their own.
    "record_for_others": frozenset({TRAINER, COORDINATOR, STOCK_MANAGER, ORG_ADMIN}),
    # Correct or void any field record of the organisation, however old; others only their own.
    "correct_any_record": frozenset({COORDINATOR, ORG_ADMIN}),
    # Read every person-level record of the organisation; without it, only one's own.
    "read_org_records": frozenset({TRAINER, COORDINATOR, STOCK_MANAGER, ORG_ADMIN}),
    # Download a list (handouts, contacts, overdose reports) as CSV.
    "export_lists": frozenset({TRAINER, COORDINATOR, STOCK_MANAGER, ORG_ADMIN}),
    # Open the training pages (without read_org_records: only the sessions one attended).
    "view_trainings": frozenset(
        {PEER, TRAINER, COORDINATOR, STOCK_MANAGER, ORG_ADMIN, PLATFORM_ADMIN}
    ),
    # Record a training session, and see whose training is lapsing.
    "record_training": frozenset({TRAINER, COORDINATOR, ORG_ADMIN}),
    # Be named as the trainer of a session.
    "lead_training": frozenset({TRAINER, COORDINATOR, ORG_ADMIN}),
    # Be listed as an attendee of a session, and in the lapsing-training list.
    "attend_training": frozenset({PEER, TRAINER}),
    # Keep a bag of kits, see it, and ask for a resupply.
    "hold_stock": frozenset({PEER, TRAINER, COORDINATOR, STOCK_MANAGER, ORG_ADMIN, PLATFORM_ADMIN}),
    # Receive, move, count and write off stock; answer resupply requests.
    "manage_stock": frozenset({COORDINATOR, STOCK_MANAGER, ORG_ADMIN, PLATFORM_ADMIN}),
    # Read the monthly report (pages, CSV/PDF and API).
    "read_reports": frozenset({TRAINER, COORDINATOR, STOCK_MANAGER, ORG_ADMIN, PLATFORM_ADMIN}),
    # Open the map, its GeoJSON and spike alerts; close hot spots.
    "view_map": frozenset({TRAINER, COORDINATOR, STOCK_MANAGER, ORG_ADMIN, PLATFORM_ADMIN}),
    # Report a named hot spot and see the hot-spot list.
    "report_hot_spots": frozenset(
        {PEER, TRAINER, COORDINATOR, STOCK_MANAGER, ORG_ADMIN, PLATFORM_ADMIN}
    ),
    # Acknowledge a spike alert.
    "acknowledge_alerts": frozenset({COORDINATOR, ORG_ADMIN, PLATFORM_ADMIN}),
    # Administer one's organisation: members, sites, settings, the audit log.
    "administer_org": frozenset({ORG_ADMIN, PLATFORM_ADMIN}),
    # Use two-step verification when one's organisation requires it (outreach/auth/mfa.py).
    # Peers and trainers work from shared tablets, which have no personal second factor.
    "need_two_step": frozenset({COORDINATOR, STOCK_MANAGER, ORG_ADMIN, PLATFORM_ADMIN}),
    # Administer the deployment: organisations, products, partnerships, platform administrators;
    # and see every organisation's aggregate figures (never their person-level records).
    "administer_platform": frozenset({PLATFORM_ADMIN}),
}


def can(user: Any, capability: str) -> bool:
    """Whether `user` (anonymous: never) has `capability`; an unknown name is a bug."""
    roles = CAPABILITIES[capability]
    return getattr(user, "role", None) in roles


def roles_with(capability: str) -> tuple[str, ...]:
    """The roles holding `capability`, for a query (people who may be named as trainer…)."""
    return tuple(sorted(CAPABILITIES[capability]))


def require(capability: str):
    """A view guard: login required, then 403 unless the user has `capability`."""
    if capability not in CAPABILITIES:
        raise KeyError(capability)

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not can(current_user, capability):
                _record_refusal(capability)
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _record_refusal(capability: str) -> None:
    """Audit a 403: who asked for what they may not do."""
    record_denial(
        "page",
        None,
        user=current_user,
        detail=f"{capability}: {request.method} {request.path}",
        remote_addr=request.remote_addr,
    )

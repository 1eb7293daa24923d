"""A deliberately broken build for the crash test: no unique client_id, no idempotency checks."""

from __future__ import annotations

from sqlalchemy import Index, MetaData, PrimaryKeyConstraint, UniqueConstraint

# The tables a synced record lands in, and the receipts that remember each client_id.
GUARDED = ("handouts", "outreach_contacts", "overdose_reports", "training_sessions", "api_receipts")


def unguarded_metadata(metadata: MetaData) -> MetaData:
    """A copy of the schema without the unique client_id of GUARDED tables (nor the receipts' PK).

    A copy, so the running process's models (and other tests) keep the real schema."""
    copy = MetaData()
    for table in metadata.sorted_tables:
        table.to_metadata(copy)
    for name in GUARDED:
        table = copy.tables.get(name)
        if table is None or "client_id" not in table.c:
            continue
        column = table.c.client_id
        column.unique = False
        for constraint in list(table.constraints):
            cols = {c.name for c in getattr(constraint, "columns", [])}
            if isinstance(constraint, UniqueConstraint) and cols == {"client_id"}:
                table.constraints.discard(constraint)
        for index in list(table.indexes):
            if isinstance(index, Index) and {c.name for c in index.columns} == {"client_id"}:
                table.indexes.discard(index)
        if column.primary_key:
            column.primary_key = False
            table.constraints.discard(table.primary_key)
            table.primary_key = PrimaryKeyConstraint()
            table.constraints.add(table.primary_key)
    return copy


def create_schema(url: str) -> None:
    """Create every table, the GUARDED ones without their unique client_id."""
    from sqlalchemy import create_engine

    import outreach.schema  # noqa: F401  (every model, so the metadata is whole)
    from outreach.extensions import db

    engine = create_engine(url)
    try:
        unguarded_metadata(db.metadata).create_all(engine)
    finally:
        engine.dispose()


def _no_check(*_args, **_kwargs):
    return None


def break_idempotency() -> None:
    """Every client_id looks new: no receipt lookup, no record lookup, no resend lookup."""
    from outreach.api import records, routes
    from outreach.contacts import services as contacts
    from outreach.handouts import services as handouts
    from outreach.overdoses import services as overdoses

    records.replay = _no_check
    routes.known_ids = lambda _ids: set()
    records.known_ids = routes.known_ids
    for module in (handouts, contacts, overdoses):
        module.find_resent = _no_check


def create_app():
    """The gunicorn target of the broken run: the real app with its duplicate checks removed."""
    from outreach import create_app as real_create_app

    break_idempotency()
    return real_create_app()

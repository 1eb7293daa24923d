"""`flask --app outreach audit-verify`: walk the audit trail's hash chain (outreach.audit.chain)."""

from __future__ import annotations

import sys

import click
from flask import Flask

from outreach.extensions import db


def register_cli(app: Flask) -> None:
    @app.cli.command("audit-verify")
    def audit_verify_cmd() -> None:
        """Check that no audit event was changed, removed or added outside the chain."""
        from outreach.audit.chain import verify

        verdict = verify(db.session)
        db.session.rollback()
        older = f" ({verdict.unsealed} older events predate the chain)" if verdict.unsealed else ""
        if verdict.ok:
            click.echo(f"{verdict.events} events, chain intact{older}.")
            return
        click.echo(
            f"Audit chain broken: {verdict.reason} (after {verdict.events} intact events).",
            err=True,
        )
        sys.exit(1)

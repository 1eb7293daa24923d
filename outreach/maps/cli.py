"""`flask --app outreach detect-spikes`: raise spike alerts and e-mail them (cron-friendly)."""

from __future__ import annotations

import click
from flask import Flask

from outreach.extensions import db


def register_cli(app: Flask) -> None:
    @app.cli.command("detect-spikes")
    def detect_spikes_cmd() -> None:
        """Raise alerts for overdose spikes, then e-mail open ones if SMTP is configured."""
        from outreach.maps.spike_mail import send_pending_emails
        from outreach.maps.spikes import detect_spikes

        alerts = detect_spikes()
        db.session.commit()
        sent = send_pending_emails()
        db.session.commit()
        click.echo(f"{len(alerts)} new spike alert(s); {sent} e-mailed.")

"""E-mail for new spike alerts (outreach.maps.spikes): counts, window, area and map point in the
organisation's local time; no person-level data."""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime
from email.message import EmailMessage

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from outreach.extensions import db
from outreach.maps.models import SPIKE_WINDOWS, SpikeAlert
from outreach.maps.spikes import WINDOWS
from outreach.models.base import utcnow
from outreach.orgs.models import Organisation
from outreach.timezones import zone

log = logging.getLogger(__name__)


def build_message(alerts: list[SpikeAlert], sender: str, to: str) -> EmailMessage:
    """The e-mail for new alerts: counts, window, area and map point; no person-level data."""
    msg = EmailMessage()
    msg["Subject"] = _("Overdose spike alert: %(n)d new", n=len(alerts))
    msg["From"] = sender
    msg["To"] = to
    lines = [_("Overdose reports have reached the alert threshold:"), ""]
    ids = sorted({a.org_id for a in alerts})
    zones = dict(
        db.session.execute(
            select(Organisation.id, Organisation.timezone).where(Organisation.id.in_(ids))
        ).all()
    )
    for a in alerts:
        started = a.started_at.astimezone(zone(zones.get(a.org_id)))
        where = a.area if a.scope == "area" else _("about 1 km square")
        lines.append(
            _(
                "%(count)d reports in %(window)s (threshold %(threshold)d), %(where)s, "
                "around %(lat).4f, %(lon).4f, since %(start)s.",
                count=a.count,
                window=str(SPIKE_WINDOWS.get(a.window, a.window)),
                threshold=a.threshold,
                where=where,
                lat=a.latitude,
                lon=a.longitude,
                start=started.strftime("%Y-%m-%d %H:%M %Z"),
            )
        )
    lines += ["", _("Open the map to see and acknowledge the alerts.")]
    msg.set_content("\n".join(lines))
    return msg


def send_pending_emails(now: datetime | None = None) -> int:
    """E-mail open alerts not yet e-mailed to MAIL_ALERTS_TO through MAIL_SERVER; returns how
    many were sent. No SMTP configured: nothing happens. SMTP failure: logged, retried later."""
    cfg = current_app.config
    server, to = cfg.get("MAIL_SERVER"), cfg.get("MAIL_ALERTS_TO")
    if not server or not to:
        return 0
    now = now or utcnow()
    alerts = list(
        db.session.scalars(
            select(SpikeAlert)
            .where(
                SpikeAlert.emailed_at.is_(None),
                SpikeAlert.acknowledged_at.is_(None),
                SpikeAlert.detected_at >= now - WINDOWS["7d"],
            )
            .order_by(SpikeAlert.detected_at, SpikeAlert.id)
        )
    )
    if not alerts:
        return 0
    msg = build_message(alerts, cfg.get("MAIL_FROM") or "outreach@localhost", to)
    try:
        with smtplib.SMTP(server, int(cfg.get("MAIL_PORT", 25)), timeout=10) as smtp:
            if cfg.get("MAIL_USE_TLS"):
                smtp.starttls()
            if cfg.get("MAIL_USERNAME"):
                smtp.login(cfg["MAIL_USERNAME"], cfg.get("MAIL_PASSWORD", ""))
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("spike alert e-mail not sent: %s", exc)
        return 0
    for alert in alerts:
        alert.emailed_at = now
    db.session.flush()
    return len(alerts)

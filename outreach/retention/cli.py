"""`flask --app outreach retention-purge` and `erase-client`: what they found, in the
operator's language (--language, else $LANG), asked before anything changes unless --yes."""

from __future__ import annotations

import os
import sys
from datetime import date

import click
from flask import Flask
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from tqdm import tqdm

from outreach.audit.labels import record_type_label
from outreach.extensions import db
from outreach.i18n import FORMAT_LOCALE

LANGUAGE = click.option(
    "--language",
    type=click.Choice(sorted(FORMAT_LOCALE)),
    default=lambda: (
        (os.environ.get("LANG") or "en")[:2].lower()
        if (os.environ.get("LANG") or "en")[:2].lower() in FORMAT_LOCALE
        else "en"
    ),
    help="The language of what it says (en, cy, sv).",
)


def _purge(months: int | None, show: bool) -> list:
    """Purge every organisation (not committed); each one's results."""
    from outreach.retention.purge import organisations, pending, purge_org

    orgs = organisations()
    total = sum(pending(org, months or org.retention_months) for org in orgs)
    with tqdm(total=total, unit=" rows", file=sys.stderr, disable=not show) as bar:
        return [purge_org(org, months or org.retention_months, bar.update) for org in orgs]


def _say_purged(results: list) -> None:
    for result in results:
        removed = {k: n for k, n in result.removed.items() if n}
        click.echo(
            _(
                "%(org)s: records before %(day)s",
                org=result.name,
                day=result.before.isoformat(),
            )
            + ": "
            + (
                ", ".join(f"{record_type_label(kind)} {n}" for kind, n in removed.items())
                or _("nothing to remove")
            )
        )


def register_cli(app: Flask) -> None:
    @app.cli.command("retention-purge")
    @click.option(
        "--older-than-months",
        "months",
        type=click.IntRange(1, 1200),
        default=None,
        help="Use this period for every organisation instead of each one's own.",
    )
    @click.option("--dry-run", is_flag=True, help="Say what would be removed; change nothing.")
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    @LANGUAGE
    def retention_purge_cmd(months, dry_run, yes, language) -> None:
        """Remove person-level details of records older than the retention period."""
        from outreach.retention.purge import audit_purge

        with force_locale(FORMAT_LOCALE[language]):
            results = _purge(months, show=True)
            db.session.rollback()  # the first pass only counts
            _say_purged(results)
            if dry_run or not any(any(r.removed.values()) for r in results):
                click.echo(_("Nothing was changed.") if dry_run else _("Nothing to remove."))
                return
            if not yes and not click.confirm(_("Remove these details now?")):
                click.echo(_("Nothing was changed."))
                return
            results = _purge(months, show=False)
            for result in results:
                audit_purge(result, months or 0)
            db.session.commit()
            click.echo(_("Done."))

    @app.cli.command("erase-client")
    @click.option("--initials", required=True)
    @click.option("--dob", required=True, type=click.DateTime(formats=["%Y-%m-%d"]))
    @click.option("--sex", required=True, type=click.Choice(["F", "M", "X"], case_sensitive=False))
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    @LANGUAGE
    def erase_client_cmd(initials, dob, sex, yes, language) -> None:
        """Unlink every record of one client code, in every organisation."""
        with force_locale(FORMAT_LOCALE[language]):
            _erase_client(initials, dob.date(), sex, yes)


def _erase_client(initials: str, dob: date, sex: str, yes: bool) -> None:
    from outreach.clientcode import ClientCodeError
    from outreach.retention.erase import audit_erasure, client_hashes, erase

    try:
        hashes = client_hashes(initials, dob, sex)
    except ClientCodeError as exc:
        raise click.ClickException(_("Not a client code: %(reason)s", reason=exc.reason)) from exc
    found = erase(hashes)
    db.session.rollback()  # the first pass only counts
    rows = sum(sum(kinds.values()) for kinds in found.values())
    if not rows:
        click.echo(_("No records hold this client code. Nothing was changed."))
        return
    records = ngettext("%(num)d record", "%(num)d records", rows)
    orgs = ngettext("%(num)d organisation", "%(num)d organisations", len(found))
    if not yes and not click.confirm(
        _("%(records)s in %(orgs)s hold this client code. Unlink them?", records=records, orgs=orgs)
    ):
        click.echo(_("Nothing was changed."))
        return
    audit_erasure(erase(hashes))
    db.session.commit()
    click.echo(_("%(records)s in %(orgs)s unlinked.", records=records, orgs=orgs))

"""`flask --app outreach …` commands; each one calls a service."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from tqdm import tqdm

from outreach.extensions import db
from outreach.i18n import FORMAT_LOCALE
from outreach.retention.cli import LANGUAGE
from outreach.vocab import ROLES

PRODUCTION_NAMES = ("production", "prod")


@click.command("create-org")
@with_appcontext
@click.argument("name")
@click.option("--area", required=True, help="Health board, APB, local authority or region.")
@click.option(
    "--timezone",
    default="Europe/London",
    show_default=True,
    help="The zone its times are typed and shown in, e.g. Europe/Stockholm.",
)
def create_org(name: str, area: str, timezone: str) -> None:
    """Create an organisation."""
    from outreach.orgs.services import OrgError, create_organisation

    try:
        org = create_organisation(name, area, timezone)
    except OrgError as exc:
        raise click.ClickException(str(exc.message)) from exc
    db.session.commit()
    click.echo(f"Created organisation {org.name!r} (id {org.id}) in {org.area}, {org.timezone}.")


@click.command("create-user")
@with_appcontext
@click.argument("username")
@click.option("--org", "org_name", required=True, help="The organisation's name.")
@click.option("--role", type=click.Choice(list(ROLES)), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", "display_name", default=None, help="Name shown in the app.")
def create_user_cmd(username, org_name, role, password, display_name) -> None:
    """Create a user (this is how the first administrator is made)."""
    from outreach.auth.services import UserError, create_user
    from outreach.orgs.models import Organisation

    org = db.session.scalar(select(Organisation).where(Organisation.name == org_name))
    if org is None:
        raise click.ClickException(f"No organisation named {org_name!r}.")
    try:
        user = create_user(username, password, org, role, display_name)
    except UserError as exc:
        raise click.ClickException(f"{exc.field}: {exc.message}") from exc
    db.session.commit()
    click.echo(f"Created {role} {user.username!r} in {org.name!r}.")


@click.command("seed-demo")
@with_appcontext
@click.option(
    "--handouts",
    type=int,
    default=None,
    help="Generate a national-scale data set with this many handouts.",
)
@click.option("--months", type=int, default=None, help="How many months of history.")
@click.option("--seed", type=int, default=2026, help="Random seed, for repeatable data.")
def seed_demo_cmd(handouts: int | None, months: int | None, seed: int) -> None:
    """Load demo organisations, users and records (or a national-scale set)."""
    from outreach.seed import seed_demo

    if current_app.config.get("ENV_NAME") in PRODUCTION_NAMES:
        raise click.ClickException(
            "seed-demo refuses to run in production (OUTREACH_ENV="
            f"{current_app.config['ENV_NAME']}): it would mix made-up people into real records."
        )

    seed_demo(handouts=handouts, months=months, seed=seed, echo=click.echo)


@click.command("areas-load")
@with_appcontext
@LANGUAGE
def areas_load_cmd(language: str) -> None:
    """Load the bundled list of areas, or bring it up to date (at-risk estimates are kept)."""
    from outreach.areas.services import load_areas, read_areas

    total = len(read_areas())
    with tqdm(total=total, unit=" areas", file=sys.stderr) as bar:
        counts = load_areas(db.session, progress=bar.update)
    db.session.commit()
    with force_locale(FORMAT_LOCALE[language]):
        click.echo(_("Areas added: %(added)d; updated: %(updated)d.", **counts))


@click.command("i18n-update")
@with_appcontext
@click.option("--locale", "locales", multiple=True, help="Only these (default: en, cy, sv).")
def i18n_update(locales: tuple[str, ...]) -> None:
    """pybabel extract, update and compile the en, cy and sv catalogues (see the README)."""
    from outreach.i18n_tools import LOCALES, update_all

    for locale, count in update_all(locales or LOCALES).items():
        click.echo(f"{locale}: {count} messages still to translate")
    click.echo("Compiled messages.mo for every locale.")


COMMANDS = (create_org, create_user_cmd, areas_load_cmd, seed_demo_cmd, i18n_update)


def register(app: Flask) -> None:
    from outreach.audit.cli import register_cli as register_audit_cli
    from outreach.maps.cli import register_cli as register_maps_cli
    from outreach.retention.cli import register_cli as register_retention_cli

    register_maps_cli(app)  # detect-spikes
    register_audit_cli(app)  # audit-verify
    register_retention_cli(app)  # retention-purge, erase-client
    for command in COMMANDS:
        app.cli.add_command(command)

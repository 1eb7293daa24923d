"""`flask --app outreach …` commands; each one calls a service."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from outreach.extensions import db
from outreach.vocab import ROLES


def register(app: Flask) -> None:
    from outreach.maps.cli import register_cli as register_maps_cli

    register_maps_cli(app)  # detect-spikes

    @app.cli.command("create-org")
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
        click.echo(
            f"Created organisation {org.name!r} (id {org.id}) in {org.area}, {org.timezone}."
        )

    @app.cli.command("create-user")
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

    @app.cli.command("seed-demo")
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

        seed_demo(handouts=handouts, months=months, seed=seed, echo=click.echo)

    @app.cli.command("i18n-update")
    @click.option("--locale", "locales", multiple=True, help="Only these (default: en, cy, sv).")
    def i18n_update(locales: tuple[str, ...]) -> None:
        """Extract messages and merge them into the en, cy and sv catalogues."""
        from outreach.i18n_tools import LOCALES, compile_all, extract, update

        template = extract()
        for locale in locales or LOCALES:
            click.echo(f"{locale}: {update(locale, template)} messages still to translate")
        compile_all()  # the compiled catalogues are committed: every install path has them
        click.echo("Compiled messages.mo for every locale.")

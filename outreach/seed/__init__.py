"""Demo and national-scale data sets, loaded by `flask --app outreach seed-demo`."""

from __future__ import annotations

from collections.abc import Callable

import click
from sqlalchemy import select

from outreach.extensions import db
from outreach.orgs.models import Organisation


class SeedRefused(click.ClickException):
    """The database is not one that seed data may be added to."""


def seed_demo(
    handouts: int | None = None,
    months: int | None = None,
    seed: int = 2026,
    echo: Callable[[str], object] = print,
) -> None:
    """Load the demo (or, with `handouts`, a national-scale set) and commit.

    The demo is loaded once: a second call finds it, adds nothing and prints the logins again.
    Either set refuses a database that holds other organisations, so real data never mixes
    with generated data.
    """
    from outreach.seed.demo import demo_loaded, demo_logins, load_demo, print_logins

    if months is not None and not 1 <= months <= 120:
        raise SeedRefused("--months must be between 1 and 120.")
    if handouts is None and demo_loaded():
        echo("The demo data is already loaded; nothing was added.")
        print_logins(demo_logins(), echo)
        return
    if db.session.scalar(select(Organisation.id).limit(1)) is not None:
        raise SeedRefused(
            "This database already holds organisations; seed-demo only loads into an empty "
            "database (point DATABASE_URL at a new one)."
        )
    if handouts is not None:
        from outreach.seed.national import load_national

        if handouts < 1:
            raise SeedRefused("--handouts must be at least 1.")
        load_national(handouts, seed, months or 24, echo)
        return
    load_demo(seed, months or 4, echo)
    db.session.commit()
    print_logins(demo_logins(), echo)

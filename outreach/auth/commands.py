"""`flask --app outreach auth reset-two-step USERNAME`: for someone who lost both their phone and
their recovery codes. Run by whoever runs the deployment, after checking who is asking."""

from __future__ import annotations

import click
from sqlalchemy import select

from outreach.auth import bp, events, mfa
from outreach.auth.models import User
from outreach.auth.services import end_sessions
from outreach.extensions import db


@bp.cli.command("reset-two-step")
@click.argument("username")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def reset_two_step(username: str, yes: bool) -> None:
    """Turn USERNAME's two-step verification off and end their sessions; they set it up again
    at their next login if their organisation requires it."""
    user = db.session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise click.ClickException(f"No user named {username!r}.")
    if not mfa.enrolled(user):
        raise click.ClickException(f"{user.username!r} has no two-step verification.")
    if not yes:
        click.confirm(f"Turn off two-step verification for {user.username!r}?", abort=True)
    mfa.disable(user)
    end_sessions(user)
    events.account_changed(user, "mfa reset by command line", None)
    db.session.commit()
    click.echo(f"Two-step verification is off for {user.username!r}; their sessions have ended.")

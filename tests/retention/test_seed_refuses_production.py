"""seed-demo will not mix made-up people into a production database."""

from __future__ import annotations

from sqlalchemy import func, select

from outreach.extensions import db
from outreach.orgs.models import Organisation


def test_seed_demo_refuses_to_run_in_production(app, runner, monkeypatch):
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code != 0
    assert "seed-demo refuses to run in production" in result.output
    assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0

"""Check a national set's returns against the records behind them, as a programme manager would.

Usage:
    .venv/bin/python bench/returns_check.py sqlite:////tmp/national.sqlite

For the Cardiff organisation's coordinator, last UK financial year's Welsh return by health
board; for the Göteborg organisation's coordinator, calendar year 2025's Västra Götaland summary
by kommun. Each area's kits, supplies and people in the return are printed beside the same
counts made directly from the handouts (the organisation's live records in the area's local
authorities, between its local midnights), and any difference is reported.
"""

from __future__ import annotations

import os
import sys
from zoneinfo import ZoneInfo


def main(url: str) -> int:
    os.environ["DATABASE_URL"] = url
    from sqlalchemy import distinct, func, select

    from outreach import create_app
    from outreach.areas.queries import by_code, units
    from outreach.auth.models import User
    from outreach.extensions import db
    from outreach.handouts.models import Handout
    from outreach.orgs.models import Organisation
    from outreach.reports import returns
    from outreach.reports.periods import Period

    app = create_app()
    wrong = 0
    with app.app_context(), app.test_request_context():
        for town, shape, code, level, period in (
            ("Cardiff", "wales", "W92000004", "board", Period("financial_year", (2025, 4), 12)),
            ("Göteborg", "sweden", "SE-14", "local_authority", Period("year", (2025, 1), 12)),
        ):
            org = db.session.scalar(select(Organisation).where(Organisation.name.contains(town)))
            user = db.session.scalar(
                select(User).where(User.org_id == org.id, User.role == "coordinator")
            )
            result = returns.build(user, shape, by_code(code), level, period)
            print(f"## {result.title} — {user.username}")
            tz = ZoneInfo(org.timezone)
            lo, hi = period.start.replace(tzinfo=tz), period.end.replace(tzinfo=tz)
            supplies = {r[0]: r for r in result.table("supplies_by_area").rows}
            people = {r[0]: r for r in result.table("people_by_area").rows}
            for unit in units(by_code(code), level):
                name = unit.area.label("en")
                where = [
                    Handout.org_id == org.id,
                    Handout.voided_at.is_(None),
                    Handout.area_id.in_(unit.leaves),
                    Handout.occurred_at >= lo,
                    Handout.occurred_at < hi,
                ]
                kits = db.session.scalar(
                    select(func.coalesce(func.sum(Handout.quantity), 0)).where(*where)
                )
                n = db.session.scalar(select(func.count()).where(*where, Handout.kind == "single"))
                coded = db.session.scalar(
                    select(func.count(distinct(Handout.client_hash))).where(*where)
                )
                shown = (supplies[name][1], supplies[name][4], people[name][1])
                if kits or any(shown):
                    same = shown == (kits, n, coded)
                    wrong += not same
                    print(
                        f"{name}: return {shown}, records {(kits, n, coded)}",
                        "" if same else "DIFFERENT",
                    )
    print("every figure matches the records" if not wrong else f"{wrong} areas differ")
    return 1 if wrong else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))

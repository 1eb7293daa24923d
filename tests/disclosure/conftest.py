"""The attacker's kit: partner organisations A (the attacker) and B (whose small numbers must
stay hidden), C unrelated; events placed at known points and times; and the attacker's
reasoning, `consistent`: which true partner counts could have given an answer."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from outreach.disclosure import NOISE, ROUND_TO, rounded
from outreach.extensions import db
from outreach.handouts.models import Handout
from tests.maps.conftest import SWANSEA, Place, orgs, place  # noqa: F401  (fixtures)

# A bounding box around Swansea of one 0.01-degree grid (the cell holding SWANSEA whole).
BOX = "51.55,-4.0,51.7,-3.85"


def consistent(answer: int | None, n: int, below: int = 5) -> bool:
    """Whether a true partner count `n` could have given `answer` (None: nothing shown), as
    an attacker who knows the rule (outreach.disclosure) but not the secret perturbation
    works it out: any perturbation in NOISE may have been drawn."""
    if answer is None:
        return n < below or any(n + e < below for e in NOISE)
    return (
        n >= below
        and any(n + e >= below and rounded(n + e) == answer for e in set(NOISE))
        and answer % ROUND_TO == 0
    )


def local(user, day: datetime, hh: int, mm: int = 0, ss: int = 0) -> datetime:
    """A wall-clock time on `day` in the user's organisation's zone."""
    tz = ZoneInfo(user.organisation.timezone)
    return datetime(day.year, day.month, day.day, hh, mm, ss, tzinfo=tz)


def wipe_org_handouts(user) -> None:
    """The world without that organisation's handouts (to compare answers with)."""
    db.session.query(Handout).filter(Handout.org_id == user.org_id).delete()
    db.session.commit()


def geojson(client, **params) -> dict:
    query = {"bbox": BOX, "layer": "handouts", **params}
    resp = client.get("/map/cells.geojson", query_string=query)
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def cell_counts(body: dict) -> dict[str, tuple[int, int]]:
    """{cell key: (count, own)}: all a feature says."""
    return {
        f["properties"]["key"]: (f["properties"]["count"], f["properties"]["own"])
        for f in body["features"]
    }


def at(days_ago: int) -> datetime:
    from outreach.models.base import utcnow

    return utcnow() - timedelta(days=days_ago)


__all__ = ["SWANSEA", "Place", "consistent", "local", "orgs", "place"]

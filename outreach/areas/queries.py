"""The area tree as the returns read it: which local authorities make up each area."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from outreach.areas.models import Area
from outreach.extensions import db

# The levels a return can be broken down by, coarsest first.
BREAKDOWN_LEVELS = ("country", "board", "partnership", "local_authority")


@dataclass(frozen=True)
class Unit:
    """An area of a return and the local authorities (the areas records are filed under) it
    is made of."""

    area: Area
    leaves: frozenset[int]


def _tree() -> tuple[dict[int, Area], dict[int, list[int]]]:
    areas = {a.id: a for a in db.session.scalars(select(Area))}
    leaves_of: dict[int, list[int]] = {i: [] for i in areas}
    for area in areas.values():
        if area.level != "local_authority":
            continue
        leaves_of[area.id].append(area.id)
        if area.partnership_id in leaves_of:
            leaves_of[area.partnership_id].append(area.id)
        board = areas.get(area.parent_id)
        if board is not None:
            leaves_of[board.id].append(area.id)
            if board.parent_id in leaves_of:
                leaves_of[board.parent_id].append(area.id)
    return areas, leaves_of


def by_code(code: str | None) -> Area | None:
    if not code:
        return None
    return db.session.scalar(select(Area).where(Area.code == code.strip()))


def units(root: Area, level: str) -> list[Unit]:
    """The areas of `level` within `root` (itself when it is of that level), each with its
    local authorities, in name order."""
    areas, leaves_of = _tree()
    inside = set(leaves_of[root.id])
    found = [
        Unit(a, frozenset(leaves_of[a.id]))
        for a in areas.values()
        if a.level == level and leaves_of[a.id] and set(leaves_of[a.id]) <= inside
    ]
    return sorted(found, key=lambda u: u.area.name)


def unit_of(area: Area) -> Unit:
    """`area` itself with its local authorities."""
    _areas, leaves_of = _tree()
    return Unit(area, frozenset(leaves_of[area.id]))


def roots() -> list[Area]:
    """What a return can cover: each country, board and partnership."""
    stmt = select(Area).where(Area.level != "local_authority").order_by(Area.level, Area.name)
    return list(db.session.scalars(stmt))


def local_authority_choices(language: str = "en") -> list[tuple[str, str]]:
    """Every local authority or kommun as (code, "name, board"), by country then name: what a
    site or an organisation's home area is chosen from."""
    areas = {a.id: a for a in db.session.scalars(select(Area))}
    rows = []
    for area in areas.values():
        if area.level != "local_authority":
            continue
        board = areas.get(area.parent_id)
        country = areas.get(board.parent_id) if board is not None else None
        where = board.label(language) if board is not None else ""
        rows.append((country.code if country else "", area.label(language), area.code, where))
    rows.sort()
    return [(code, f"{name}, {where}" if where else name) for _c, name, code, where in rows]


def listed(country_code: str | None) -> list[Area]:
    """The boards, partnerships and local authorities of a country, boards first."""
    country = by_code(country_code)
    if country is None:
        return []
    _areas, leaves_of = _tree()
    inside = set(leaves_of[country.id])
    stmt = select(Area).where(Area.level != "country").order_by(Area.level, Area.name)
    return [
        a for a in db.session.scalars(stmt) if leaves_of[a.id] and set(leaves_of[a.id]) <= inside
    ]


def countries() -> list[Area]:
    return list(db.session.scalars(select(Area).where(Area.level == "country").order_by(Area.name)))


def code_of(area_id: int | None) -> str:
    """The code of an area by its id ("" for none): what an area select shows as chosen."""
    area = db.session.get(Area, area_id) if area_id is not None else None
    return area.code if area is not None else ""

"""Shared helpers for the training page tests."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from outreach.extensions import db


def session_form(**overrides) -> dict:
    data = {
        "held_on": date.today().isoformat(),
        "place": "Training room, Swansea",
        "kind": "peer_distributor",
        "topics": ["recognising_overdose", "giving_naloxone"],
        "community_count": 0,
        "valid_months": 12,
    }
    data.update(overrides)
    return data


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def row(body: str, marker: str) -> str:
    """The table row of the page that contains `marker`."""
    return next(chunk for chunk in body.split("<tr") if marker in chunk)


def handout_data(product) -> dict:
    return {
        "product_id": product.id,
        "quantity": 1,
        "supply": "first",
        "latitude": "51.62",
        "longitude": "-3.94",
    }

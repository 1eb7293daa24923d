"""Wherever a batch is listed, an expired one reads "expired", never "expires"."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from outreach.stock import services as svc


@pytest.fixture
def bag_with_an_expired_lot(world):
    world.fill_bag(3, "GOOD1", days=200)
    world.fill_bag(2, "GONE1", days=-3)
    return (date.today() - timedelta(days=3)).isoformat()


def _text(body: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


@pytest.mark.parametrize(
    ("who", "url", "expired"),
    [
        ("peer", "/handouts/new", "GONE1 · 2 kits · expired {d}"),
        ("peer", "/handouts/tally", "GONE1 · 2 kits · expired {d}"),
        ("peer", "/", "GONE1 · 2 kits · expired"),
        ("manager", "/stock/batches", "{d} Expired"),
        ("manager", "/stock/expiring", "{d} Expired"),
        ("manager", "/stock/", "{d} Expired"),
        ("manager", "/stock/move", "EXPIRED {d} · 2 held · GONE1"),
        ("manager", "holding", "GONE1 {d} Expired"),
    ],
)
def test_an_expired_lot_is_labelled_expired(
    client, auth, world, bag_with_an_expired_lot, who, url, expired
):
    day = bag_with_an_expired_lot
    auth.login(world.peer if who == "peer" else world.manager)
    if url == "holding":
        url = f"/stock/holdings/{svc.bag_for(world.peer).id}"
    page = _text(client.get(url).get_data(as_text=True))
    assert expired.format(d=day) in page, page
    assert f"expires {day}" not in page


def test_the_stock_page_counts_expired_kits_apart(client, auth, world, bag_with_an_expired_lot):
    auth.login(world.manager)
    page = _text(client.get("/stock/").get_data(as_text=True))
    assert "2 kits have expired: write them off" in page
    assert "expire within 90 days" not in page  # GOOD1 expires in 200 days

"""Acknowledging an alert returns to a local page, never to another host."""

from __future__ import annotations

import pytest

from tests.maps_page.test_map_routes import _alert


@pytest.mark.parametrize(
    "target",
    ["/\\evil.example", "\\\\evil.example", "//evil.example", "https://evil.example/", " //x"],
)
def test_acknowledging_never_redirects_to_another_host(client, auth, world, target):
    org = world.org("North")
    coordinator = world.user(org)
    alert = _alert(org)
    world.commit()
    auth.login(coordinator)
    resp = client.post(f"/map/alerts/{alert.id}/acknowledge", data={"next": target})
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/map"


def test_acknowledging_returns_to_a_local_page(client, auth, world):
    org = world.org("North")
    coordinator = world.user(org)
    alert = _alert(org)
    world.commit()
    auth.login(coordinator)
    resp = client.post(f"/map/alerts/{alert.id}/acknowledge", data={"next": "/map/alerts?page=2"})
    assert resp.headers["Location"] == "/map/alerts?page=2"

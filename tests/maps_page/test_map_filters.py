"""The map page reads its filters through a WTForms GET form (outreach/maps/forms.py): a refused
value is said and stays as typed, and the map is drawn with that filter's default."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=31/12/2026", "Enter a date as YYYY-MM-DD."),
        ("start=0001-01-01", "Choose a day from 1900-01-01 to 9998-12-31."),
        ("setting=moon", "Choose a setting from the list."),
        ("bbox=north,of,the,wall", "Give bbox as four numbers: south,west,north,east."),
        ("bbox=52,0,51,1", "The box must have south below north and west left of east."),
        ("product_id=99999999999999999999", "Enter an id from the list."),
    ],
)
def test_a_refused_map_filter_is_said_and_the_map_still_drawn(client, auth, world, query, message):
    org = world.org("North")
    coordinator = world.user(org)
    world.handouts(world.user(org, "peer"), 3)
    world.commit()
    auth.login(coordinator)
    page = client.get(f"/map?{query}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert message in html
    assert "L.geoJson(" in html


def test_a_refused_date_is_shown_as_typed(client, auth, world):
    coordinator = world.user(world.org("North"))
    world.commit()
    auth.login(coordinator)
    html = client.get("/map?start=31/12/2026").get_data(as_text=True)
    assert 'name="start" value="31/12/2026"' in html


def test_a_zoomed_out_view_is_clamped_not_refused(client, auth, world):
    coordinator = world.user(world.org("North"))
    world.commit()
    auth.login(coordinator)
    html = client.get("/map?bbox=-100,-200,100,200").get_data(as_text=True)
    assert 'value="-90.0,-180.0,90.0,180.0"' in html
    assert "The box must have" not in html


def test_the_geojson_refuses_the_same_bad_box_with_the_same_words(client, auth, world):
    coordinator = world.user(world.org("North"))
    world.commit()
    auth.login(coordinator)
    resp = client.get("/map/cells.geojson?bbox=52,0,51,1")
    assert resp.status_code == 400
    assert "The box must have south below north" in resp.get_data(as_text=True)

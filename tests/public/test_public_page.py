"""The public page "Where to get naloxone": only the sites organisations chose to show, nearest
first to a place typed (the offline gazetteer) or a coarse position, in three languages."""

from __future__ import annotations

import re

import pytest

from outreach.extensions import db
from outreach.seed import seed_demo
from tests import factories


def _names(res) -> list[str]:
    return re.findall(r"<h3>([^<]+)</h3>", res.get_data(as_text=True))


def _distances(res) -> list[float]:
    found = re.findall(r"<strong>([\d,.]+) km", res.get_data(as_text=True))
    return [float(d.replace(",", "")) for d in found]


def test_only_the_public_active_sites_of_active_organisations_are_listed(client, places):
    res = client.get("/naloxone/?lang=en")
    assert res.status_code == 200
    # Every organisation's public sites, by organisation then name; nobody is logged in.
    assert _names(res) == ["Centralstationen", "Cardiff hub", "Swansea hub"]
    body = res.get_data(as_text=True)
    for never in ("Prison gate", "Old hostel", "Gone hub", "Closed Charity"):
        assert never not in body


def test_a_site_stops_showing_once_its_organisation_makes_it_private(client, places):
    places.cardiff.public = False
    db.session.commit()
    assert "Cardiff hub" not in _names(client.get("/naloxone/?lang=en"))


def test_a_place_typed_orders_the_sites_by_distance_from_it(client, places):
    res = client.get("/naloxone/?lang=en&q=Cardiff")
    assert _names(res) == ["Cardiff hub", "Swansea hub", "Centralstationen"]
    distances = _distances(res)
    assert distances == sorted(distances) and distances[0] < 2
    assert "Nearest to Cardiff, Wales" in res.get_data(as_text=True)

    res = client.get("/naloxone/?lang=en&q=Gothenburg")  # an alias the gazetteer knows
    assert _names(res)[0] == "Centralstationen"
    res = client.get("/naloxone/?lang=cy&q=Abertawe")  # Swansea in Welsh
    assert _names(res)[0] == "Swansea hub"


def test_a_position_orders_the_sites_and_is_only_used_to_about_a_kilometre(client, places):
    res = client.get("/naloxone/?lang=en&lat=51.48123456&lon=-3.17987654")
    assert _names(res)[0] == "Cardiff hub"
    body = res.get_data(as_text=True)
    assert "51.48123456" not in body and "-3.17987654" not in body
    assert 'data-here-lat="51.48"' in body  # rounded to two decimals before use
    assert "lat=51.48&amp;lon=-3.18" in body  # the links keep only the coarse position


@pytest.mark.parametrize("args", ["lat=nan&lon=1", "lat=91&lon=0", "lat=51.5"])
def test_a_position_that_cannot_be_read_says_so_and_lists_every_site(client, places, args):
    res = client.get(f"/naloxone/?lang=en&{args}")
    assert res.status_code == 200
    assert "We could not read that position" in res.get_data(as_text=True)
    assert len(_names(res)) == 3


def test_a_place_the_gazetteer_does_not_know_is_said_and_names_like_it_are_offered(client, places):
    res = client.get("/naloxone/?lang=en&q=Swans")
    body = res.get_data(as_text=True)
    assert res.status_code == 200
    assert "We could not find “Swans”" in body
    assert "q=Swansea,+Wales" in body  # "Did you mean: Swansea, Wales"
    assert len(_names(res)) == 3  # the whole list, unordered by distance


def test_the_page_shows_the_sites_facts_in_the_readers_language(client, places):
    body = client.get("/naloxone/?lang=cy&q=Swansea").get_data(as_text=True)
    assert '<html lang="cy">' in body
    assert "Dydd Llun – Dydd Gwener</span> 09:00–17:00" in body  # Babel's Welsh day names
    assert "Cymraeg, Pwyleg, Saesneg" in body  # languages by name, in Welsh, sorted
    assert "12 Orchard Street" in body and "Step-free entrance" in body
    body = client.get("/naloxone/?lang=sv&q=Göteborg").get_data(as_text=True)
    assert "Arabiska, Svenska" in body
    assert "Måndag – Fredag" in client.get("/naloxone/?lang=sv&q=Swansea").get_data(as_text=True)


def test_the_page_never_shows_a_record_a_count_or_a_peers_name(client, places):
    peer = factories.UserFactory(
        organisation=places.swansea.organisation, role="peer", display_name="Zqpeer Name"
    )
    factories.HandoutFactory(giver=peer, site_id=places.swansea.id, place_name="zqplace")
    factories.OverdoseReportFactory(recorder=peer, place_name="zqoverdose")
    db.session.commit()
    body = client.get("/naloxone/?lang=en&q=Swansea").get_data(as_text=True)
    for never in ("Zqpeer", "zqplace", "zqoverdose", "kits", "handout"):
        assert never.casefold() not in body.casefold()


def test_the_list_is_paged(client, app, places, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_PAGE_SIZE", 2)
    first = client.get("/naloxone/?lang=en&q=Cardiff")
    assert _names(first) == ["Cardiff hub", "Swansea hub"]
    assert "page=2&amp;q=Cardiff" in first.get_data(as_text=True)
    assert _names(client.get("/naloxone/?lang=en&q=Cardiff&page=2")) == ["Centralstationen"]
    assert _names(client.get("/naloxone/?lang=en&q=Cardiff&page=99")) == ["Centralstationen"]


def test_with_no_public_site_the_page_says_so(client, app):
    res = client.get("/naloxone/?lang=en")
    assert res.status_code == 200
    assert "No places are listed here yet." in res.get_data(as_text=True)


def test_browsers_and_proxies_may_keep_the_page_but_nothing_else_it_answers(client, places):
    res = client.get("/naloxone/?lang=sv")
    assert res.headers["Cache-Control"] == "public, max-age=300"
    assert "Vary" not in res.headers  # the URL says everything the page depends on
    res = client.get("/naloxone/")  # the visitor's language: caches must tell them apart
    assert res.headers["Cache-Control"] == "public, max-age=300"
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in res.headers["Vary"].split(",")}
    assert client.get("/naloxone/language/cy").headers["Cache-Control"] == "no-store"


def test_the_language_comes_from_the_link_else_the_choice_else_the_browser(client, places):
    assert '<html lang="sv">' in client.get("/naloxone/?lang=sv").get_data(as_text=True)
    welsh = {"Accept-Language": "cy,en;q=0.5"}
    assert '<html lang="cy">' in client.get("/naloxone/", headers=welsh).get_data(as_text=True)
    client.get("/naloxone/language/sv")
    assert '<html lang="sv">' in client.get("/naloxone/", headers=welsh).get_data(as_text=True)


def test_a_change_of_language_keeps_the_search(client, places):
    res = client.get("/naloxone/language/cy?q=Cardiff&page=2")
    assert res.status_code == 302
    assert res.headers["Location"] == "/naloxone/?lang=cy&q=Cardiff"
    res = client.get("/naloxone/language/xx?q=Cardiff")  # no such language: no cookie
    assert res.headers["Location"] == "/naloxone/?q=Cardiff" and "Set-Cookie" not in res.headers


def test_the_login_page_links_to_the_public_page_for_anyone(client):
    body = client.get("/login").get_data(as_text=True)
    assert 'href="/naloxone/?lang=en"' in body


def test_the_demo_shows_one_hub_of_each_organisation_with_its_facts(client, app):
    seed_demo(months=1, echo=lambda *_: None)
    res = client.get("/naloxone/?lang=en&q=Newport, Wales")
    names = _names(res)
    assert names[0] == "Newport city centre hub" and len(names) == 5
    assert "HMP Swansea gate" not in res.get_data(as_text=True)  # the others stay off the page
    body = client.get("/naloxone/?lang=sv&q=Göteborg").get_data(as_text=True)
    assert "Måndag – Fredag</span> 08:00–16:00" in body and "Drottningtorget 5" in body

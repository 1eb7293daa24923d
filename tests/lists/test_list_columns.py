"""Each staff list shows who gave or recorded every row and where it happened, scoped as before."""

from __future__ import annotations

import pytest

from tests.lists.conftest import (
    AT_SITE,
    add_contact,
    add_handout,
    add_report,
    at_gps,
    at_place,
    at_site,
    void,
)


def _cells(page: str) -> str:
    """The table body only, so a name in the header or a filter does not count."""
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_handout_list_shows_the_giver_not_the_recorder_and_each_kind_of_place(client, auth, world):
    add_handout(world.peer, world.product, at_site(world.site), recorder=world.coordinator)
    add_handout(world.other_peer, world.product, at_place("Mumbles"))
    add_handout(world.peer, world.product, at_gps(), kind="tally", supply=None, people_count=4)
    auth.login(world.coordinator)
    body = _cells(client.get("/handouts/").get_data(as_text=True))
    assert body.count("Dafydd Peer") == 2 and body.count("Siân Peer") == 1
    assert "Coord Jones" not in body  # recorded it, but the peer gave it
    assert AT_SITE in body and "Mumbles" in body and "GPS point" in body


@pytest.mark.parametrize(
    ("path", "add"), [("/contacts/", add_contact), ("/overdoses/", add_report)]
)
def test_contact_and_overdose_lists_show_the_recorder_and_each_kind_of_place(
    client, auth, world, path, add
):
    add(world.peer, at_site(world.site))
    add(world.other_peer, at_place("Sketty"))
    add(world.coordinator, at_gps())
    auth.login(world.coordinator)
    body = _cells(client.get(path).get_data(as_text=True))
    for name in ("Dafydd Peer", "Siân Peer", "Coord Jones", AT_SITE, "Sketty", "GPS point"):
        assert name in body, name


def test_a_peer_sees_their_own_rows_with_giver_and_place_and_nobody_elses(client, auth, world):
    add_handout(world.peer, world.product, at_place("Mumbles"))
    add_handout(world.other_peer, world.product, at_place("Sketty"))
    add_contact(world.peer, at_site(world.site))
    add_contact(world.other_peer, at_place("Uplands"))
    auth.login(world.peer)
    handouts = _cells(client.get("/handouts/").get_data(as_text=True))
    assert "Dafydd Peer" in handouts and "Mumbles" in handouts
    assert "Siân Peer" not in handouts and "Sketty" not in handouts
    contacts = _cells(client.get("/contacts/").get_data(as_text=True))
    assert "Dafydd Peer" in contacts and AT_SITE in contacts and "Uplands" not in contacts


def test_another_organisations_rows_never_show_and_voided_ones_only_when_asked(client, auth, world):
    add_report(world.outsider, at_place("Cathays"))
    kept = add_report(world.peer, at_place("Mumbles"))
    gone = add_report(world.peer, at_place("Sketty"))
    void(gone, world.coordinator, "overdose_report")
    auth.login(world.coordinator)
    body = _cells(client.get("/overdoses/").get_data(as_text=True))
    assert f"/overdoses/{kept.id}" in body and "Mumbles" in body
    assert "Cathays" not in body and "Cardiff Peer" not in body and "Sketty" not in body
    shown = _cells(client.get("/overdoses/?voided=only").get_data(as_text=True))
    assert "Sketty" in shown and "Mumbles" not in shown and "Cathays" not in shown


def test_the_handout_list_filters_tallies_from_single_handouts(client, auth, world):
    add_handout(world.peer, world.product, at_place("Mumbles"))
    add_handout(world.peer, world.product, at_place("Sketty"), kind="tally", supply=None)
    auth.login(world.coordinator)
    page = client.get("/handouts/?kind=tally").get_data(as_text=True)
    assert '<option value="tally" selected>' in page
    assert "Sketty" in _cells(page) and "Mumbles" not in _cells(page)


def test_the_download_link_keeps_the_filters_and_is_offered_to_staff_only(client, auth, world):
    auth.login(world.coordinator)
    page = client.get("/handouts/?setting=hostel&start=2026-11-01&page=2").get_data(as_text=True)
    assert 'href="/handouts/export.csv?start=2026-11-01&amp;setting=hostel"' in page
    auth.logout()
    auth.login(world.peer)
    for path in ("/handouts/", "/contacts/", "/overdoses/"):
        assert "export.csv" not in client.get(path).get_data(as_text=True), path

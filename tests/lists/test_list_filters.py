"""List filters are read through WTForms GET forms (outreach/listing.py): a refused value is said
by its field in the reader's language, stays as typed, and the list shows nothing it was not
asked for."""

from __future__ import annotations

import pytest

from outreach.extensions import db
from tests.lists.conftest import add_contact, add_handout, at_site


@pytest.mark.parametrize(
    ("path", "query", "message"),
    [
        ("/contacts/", "start=2026-13-45", "Enter a date as YYYY-MM-DD."),
        ("/contacts/", "setting=moon", "Choose a setting from the list."),
        ("/handouts/", "product_id=abc", "Enter a whole number."),
        ("/handouts/", "product_id=99999999999999999999", "Enter an id from the list."),
        ("/overdoses/", "outcome=maybe", "Choose a value from the list."),
        ("/trainings/", "end=yesterday", "Enter a date as YYYY-MM-DD."),
        ("/audit/", "user=-4", "Enter an id from the list."),
    ],
)
def test_a_refused_filter_is_said_and_lists_nothing(client, auth, world, path, query, message):
    add_contact(world.peer, at_site(world.site), setting="street")
    add_handout(world.peer, world.product, at_site(world.site))
    world.coordinator.role = "org_admin"  # sees every list, the audit log too
    db.session.commit()
    auth.login(world.coordinator)
    page = client.get(f"{path}?{query}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert message in html
    assert "0 records" in html


def test_a_refused_date_stays_in_its_field_as_typed(client, auth, world):
    auth.login(world.coordinator)
    html = client.get("/contacts/?start=2026-13-45&setting=street").get_data(as_text=True)
    assert 'name="start" value="2026-13-45"' in html


def test_the_message_is_in_the_readers_language(client, auth, world):
    auth.login(world.coordinator)
    client.post("/language", data={"language": "cy"})
    html = client.get("/contacts/?start=never").get_data(as_text=True)
    assert "Rhowch ddyddiad fel YYYY-MM-DD." in html


def test_a_download_with_a_refused_filter_goes_back_to_the_list_which_says_why(client, auth, world):
    auth.login(world.coordinator)
    resp = client.get("/handouts/export.csv?kind=both&setting=street")
    assert resp.status_code == 302
    assert resp.headers["Location"] == "/handouts/?kind=both&setting=street"


def test_good_filters_still_filter(client, auth, world):
    add_contact(world.peer, at_site(world.site), setting="street")
    add_contact(world.peer, at_site(world.site), setting="hostel")
    auth.login(world.coordinator)
    assert "1 record" in client.get("/contacts/?setting=hostel").get_data(as_text=True)

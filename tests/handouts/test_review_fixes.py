"""Review fixes: list filters and page numbers out of range, and ids too big for the database."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from outreach.limits import MAX_DB_INT
from outreach.tenancy import MAX_PAGE, register_converters

LISTS = ("/handouts/", "/contacts/", "/overdoses/")


def _coordinator_with_a_handout(make):
    org = make.org()
    coordinator = make.user("coordinator", organisation=org)
    peer = make.user(organisation=org)
    make.handout(giver=peer, product=make.product())
    make.commit()
    return coordinator


@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize(
    "query",
    [
        "end=9999-12-31",
        "start=0001-01-01",
        "end=0001-01-01",
        "start=9999-12-31&end=9999-12-31",
        "page=99999999999999999999",
        "page=-99999999999999999999",
    ],
)
def test_lists_with_extreme_dates_or_page_numbers_are_answered(client, auth, make, path, query):
    auth.login(_coordinator_with_a_handout(make))
    assert client.get(f"{path}?{query}").status_code == 200


def test_an_end_date_at_the_end_of_time_means_no_upper_bound(client, auth, make):
    auth.login(_coordinator_with_a_handout(make))
    today = date.today().isoformat()
    shown = client.get(f"/handouts/?start={today}&end=9999-12-31").get_data(as_text=True)
    assert "No handouts match." not in shown
    none = client.get("/handouts/?start=0001-01-01&end=0001-01-01").get_data(as_text=True)
    assert "No handouts match." in none


def test_a_huge_page_number_is_clamped_to_the_last_allowed_page(client, auth, make):
    auth.login(_coordinator_with_a_handout(make))
    resp = client.get("/handouts/?page=99999999999999999999")
    assert resp.status_code == 200 and "No handouts match." in resp.get_data(as_text=True)
    assert MAX_PAGE == 100_000


def _tiny_app() -> Flask:
    tiny = Flask("tiny")
    register_converters(tiny)

    @tiny.get("/things/<int:thing_id>")
    def thing(thing_id: int):
        return str(thing_id)

    return tiny


@pytest.mark.parametrize("raw", ["99999999999999999999", str(MAX_DB_INT + 1)])
def test_the_bounded_int_converter_makes_ids_over_the_database_range_a_404(raw):
    assert _tiny_app().test_client().get(f"/things/{raw}").status_code == 404


def test_the_bounded_int_converter_still_matches_ids_in_range():
    client = _tiny_app().test_client()
    assert client.get(f"/things/{MAX_DB_INT}").get_data(as_text=True) == str(MAX_DB_INT)
    assert client.get("/things/7").get_data(as_text=True) == "7"


def test_a_product_filter_past_the_integer_range_is_ignored(client, auth, make):
    peer = make.user()
    make.commit()
    auth.login(peer)
    assert client.get("/handouts/?product_id=99999999999999999999").status_code == 200
    assert client.get("/handouts/99999999999999999999").status_code == 404

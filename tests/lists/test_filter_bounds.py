"""List filters and page numbers out of range are answered: dates at either end of time, huge
pages clamped, ids past the integer range ignored."""

from __future__ import annotations

from datetime import date

import pytest

from outreach.tenancy import MAX_PAGE

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


def test_a_product_filter_past_the_integer_range_is_ignored(client, auth, make):
    peer = make.user()
    make.commit()
    auth.login(peer)
    assert client.get("/handouts/?product_id=99999999999999999999").status_code == 200
    assert client.get("/handouts/99999999999999999999").status_code == 404

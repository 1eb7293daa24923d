"""The `int` URL converter turns ids past the database's integer range into a 404."""

from __future__ import annotations

import pytest
from flask import Flask

from outreach.limits import MAX_DB_INT
from outreach.tenancy import register_converters


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

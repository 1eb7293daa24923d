"""The app's one CSV writer, without an app: cells, decimal marks, formula neutralisation."""

from __future__ import annotations

import pytest

from outreach.spreadsheet import cell, csv_bytes


def test_a_swedish_csv_has_semicolons_decimal_commas_and_negative_numbers_stay_numbers():
    body = csv_bytes([["Plats", "Lat", "Lon"], ["=kalk", 57.708, -11.974]], ";", ",")
    assert body.decode("utf-8-sig").splitlines() == ["Plats;Lat;Lon", "'=kalk;57,708;-11,974"]


def test_an_english_csv_quotes_a_cell_holding_its_delimiter():
    body = csv_bytes([["Services", "People"], ["Naloxone, Housing", 3], [None, 1]])
    assert body.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 with its byte-order mark
    lines = body.decode("utf-8-sig").splitlines()
    assert lines == ["Services,People", '"Naloxone, Housing",3', ",1"]


def test_yes_and_no_are_words_in_the_readers_language_never_true_or_false():
    with pytest.raises(TypeError):
        cell(True)

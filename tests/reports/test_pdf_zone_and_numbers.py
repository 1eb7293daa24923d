"""The monthly report's PDF names the organisation's time zone, and writes its decimals in the
reader's language (a decimal comma in Swedish)."""

from __future__ import annotations

import pytest

from outreach.extensions import db
from tests.reports.conftest import MONTH
from tests.reports.pdftext import pdf_text

# Nyxoid's months of stock left in the month built by conftest.py, as each language writes it.
MONTHS_LEFT = {"en": "21.6", "cy": "21.6", "sv": "21,6"}


def _pdf_lines(client, auth, user, lang: str) -> list[str]:
    client.post("/language", data={"language": lang, "next": "/"})
    auth.login(user)
    resp = client.get("/reports/monthly", query_string={"month": MONTH, "format": "pdf"})
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF")
    return pdf_text(resp.data).splitlines()


@pytest.mark.parametrize("zone", ["Europe/London", "Europe/Stockholm"])
@pytest.mark.parametrize("lang", ["en", "cy", "sv"])
def test_the_pdf_names_the_organisations_zone_in_every_language(client, auth, world, zone, lang):
    world.org.timezone = zone
    db.session.commit()
    text = " ".join(_pdf_lines(client, auth, world.coordinator, lang))
    assert f"({zone})" in text
    other = {"Europe/London": "Europe/Stockholm", "Europe/Stockholm": "Europe/London"}[zone]
    assert other not in text


@pytest.mark.parametrize("lang", ["en", "cy", "sv"])
def test_the_pdfs_decimals_are_written_in_the_readers_language(client, auth, world, lang):
    lines = _pdf_lines(client, auth, world.coordinator, lang)
    assert MONTHS_LEFT[lang] in lines
    wrong = "21.6" if lang == "sv" else "21,6"
    assert wrong not in lines
    if lang == "sv":  # no figure anywhere is written with a decimal point
        assert not [x for x in lines if x.replace(".", "", 1).isdigit() and "." in x]

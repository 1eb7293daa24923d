"""The en, cy and sv catalogues are complete, well-formed, and used by the pages."""

from __future__ import annotations

import pytest

from outreach.i18n_tools import LOCALES, extract, load, missing


@pytest.fixture(scope="module")
def template():
    return extract()


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_translates_every_marked_message(template, locale):
    gaps = missing(locale, template)
    assert gaps == [], f"{len(gaps)} untranslated in {locale}: {gaps[:10]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_placeholders_match_the_source(locale):
    problems = [(msg.id, errors) for msg, errors in load(locale).check() if errors]
    assert problems == []


def test_login_page_is_welsh_and_swedish_when_chosen(client):
    for lang, word in (("cy", "Mewngofnodi"), ("sv", "Logga in")):
        client.post("/language", data={"language": lang, "next": "/login"})
        page = client.get("/login").get_data(as_text=True)
        assert f'<html lang="{lang}">' in page
        assert word in page

"""The en, cy and sv catalogues are complete, well-formed, and used by the pages."""

from __future__ import annotations

import subprocess

import pytest

from outreach.i18n_tools import LOCALES, extract, load, missing


@pytest.fixture(scope="module")
def template():
    return extract()


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_translates_every_marked_message(template, locale):
    gaps = missing(locale, template)
    assert gaps == [], f"{len(gaps)} untranslated in {locale}: {gaps[:10]}"


def test_pybabel_extracts_lazy_and_plural_messages_from_code_and_templates(template):
    """babel.cfg names Flask-Babel's lazy keywords: without them `_l` labels would go unseen."""
    ids = {m.id for m in template}
    assert "Peer worker" in ids  # _l in outreach/vocab.py
    assert any(isinstance(i, tuple) for i in ids)  # ngettext
    assert any(loc[0].startswith("templates/") for m in template for loc in m.locations)
    assert not any(loc[0].startswith("tests/") for m in template for loc in m.locations)


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


@pytest.mark.parametrize("locale", LOCALES)
def test_the_committed_compiled_catalogue_matches_its_po_file(locale):
    """An operator who installs from the repository (pip install ., or -e) gets Welsh and
    Swedish without compiling anything: the .mo files are committed and must be current."""
    from babel.messages.mofile import read_mo

    from outreach.i18n_tools import po_path

    mo = po_path(locale).with_suffix(".mo")
    assert mo.exists(), "run: flask --app outreach i18n-update"
    tracked = subprocess.run(
        ["git", "ls-files", "--error-unmatch", str(mo)],
        cwd=mo.parent,
        capture_output=True,
        check=False,
    )
    if tracked.returncode not in (0, 1) or b"not a git repository" in tracked.stderr:
        pytest.skip("not a git checkout")
    assert tracked.returncode == 0, f"{mo.name} of {locale} is not committed (git add it)"

    def plain(value):
        return tuple(value) if isinstance(value, list | tuple) else value

    with mo.open("rb") as fh:
        compiled = {plain(m.id): plain(m.string) for m in read_mo(fh) if m.id}
    source = {plain(m.id): plain(m.string) for m in load(locale) if m.id and not m.fuzzy}
    assert compiled == source, "stale messages.mo: run flask --app outreach i18n-update"


# Words Welsh or Swedish write as English does (checked with the glossary), and names; age
# bands and a title made of placeholders are written the same in every language.
NUMBERS_ONLY = {"18–24", "25–34", "35–44", "45–54", "%(return)s: %(area)s, %(period)s"}
SAME_AS_ENGLISH = {
    "cy": {"Bag: %(name)s", "Hostel", "Map", "Naloxone", "Outreach", "Partner", "partner"}
    | NUMBERS_ONLY,
    "sv": {"Administration", "Batch", "Batch %(number)s", "Organisation", "Outreach", "Start"}
    | {"Status", "Period", "Under 18"}
    | NUMBERS_ONLY,
}


@pytest.mark.parametrize("locale", ["cy", "sv"])
def test_no_message_is_left_in_english_by_copying_it(locale):
    """A translation equal to the English is a copy unless the word is the same in both."""
    same = {m.id for m in load(locale) if isinstance(m.id, str) and m.id and m.string == m.id}
    assert same <= SAME_AS_ENGLISH[locale], sorted(same - SAME_AS_ENGLISH[locale])

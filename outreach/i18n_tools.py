"""The en, cy and sv catalogues: pybabel extracts, updates and compiles them (babel.cfg);
this module runs those commands and does only what pybabel cannot: give English its own text
and tell which messages are still untranslated."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "outreach" / "translations"
LOCALES = ("en", "cy", "sv")
WIDTH = 100  # the committed .po files' line width

# The README's commands, run from the repository root. Sorted output and no POT-Creation-Date
# or obsolete churn keep the diff of a catalogue to the messages that changed.
EXTRACT = ("extract", "-F", "babel.cfg", "--project", "outreach", "--sort-output")
UPDATE = (
    "update",
    "-d",
    "outreach/translations",
    f"--width={WIDTH}",
    "--no-fuzzy-matching",
    "--ignore-obsolete",
    "--ignore-pot-creation-date",
    "--init-missing",
)
COMPILE = ("compile", "-d", "outreach/translations")


def pybabel(*args: str) -> None:
    """Run one pybabel command (Babel's own command line, in this process) from the root."""
    with contextlib.chdir(ROOT):
        status = CommandLineInterface().run(["pybabel", "-q", *args])
    if status:
        raise RuntimeError(f"pybabel {' '.join(args)} failed ({status})")


def extract() -> Catalog:
    """Every message the code and templates mark for translation (`pybabel extract`)."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        pybabel(*EXTRACT, "-o", str(pot), ".")
        with pot.open("rb") as fh:
            return read_po(fh)


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def load(locale: str) -> Catalog:
    with po_path(locale).open("rb") as fh:
        return read_po(fh, locale=locale)


def _translated(msg) -> bool:
    return all(msg.string) if isinstance(msg.string, tuple | list) else bool(msg.string)


def missing(locale: str, template: Catalog | None = None) -> list[str]:
    """Message ids with no (or a fuzzy, or a partial plural) translation in `locale`:
    pybabel compile only counts them (--statistics), it does not name them or fail."""
    template = template or extract()
    catalog = load(locale)
    out = []
    for msg in template:
        if not msg.id:
            continue
        have = catalog.get(msg.id)
        if have is None or have.fuzzy or not _translated(have):
            out.append(msg.id if isinstance(msg.id, str) else msg.id[0])
    return out


def english_is_its_own_translation() -> None:
    """Fill each untranslated English message with its id (pybabel leaves msgstr empty)."""
    catalog = load("en")
    for msg in catalog:
        if msg.id and not _translated(msg):
            msg.string = msg.id if isinstance(msg.id, str) else tuple(msg.id)
    with po_path("en").open("wb") as fh:
        write_po(fh, catalog, width=WIDTH)


def update_all(locales: tuple[str, ...] = LOCALES) -> dict[str, int]:
    """Extract, update each locale's catalogue, give English its text, compile every .mo.
    Returns each locale's number of messages still to translate."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        pybabel(*EXTRACT, "-o", str(pot), ".")
        for locale in locales:
            pybabel(*UPDATE, "-i", str(pot), "-l", locale)
        with pot.open("rb") as fh:
            template = read_po(fh)
    if "en" in locales:
        english_is_its_own_translation()
    pybabel(*COMPILE)  # the compiled catalogues are committed: every install path has them
    return {locale: len(missing(locale, template)) for locale in locales}

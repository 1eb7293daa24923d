"""Extracting messages and checking the en, cy and sv catalogues (used by a CLI and a test)."""

from __future__ import annotations

import copy
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "outreach" / "translations"
LOCALES = ("en", "cy", "sv")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "lazy_ngettext": (1, 2),
}


def extract() -> Catalog:
    """Every message the code and templates mark for translation."""
    catalog = Catalog(project="outreach")
    method_map = [("outreach/**.py", "python"), ("templates/**.html", "jinja2")]
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT),
        method_map=method_map,
        keywords=KEYWORDS,
        options_map={"templates/**.html": {"extensions": "jinja2.ext.do"}},
    ):
        if "tests/" in filename or filename.startswith(".venv"):
            continue
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def load(locale: str) -> Catalog:
    with po_path(locale).open("rb") as fh:
        return read_po(fh, locale=locale)


def missing(locale: str, template: Catalog | None = None) -> list[str]:
    """Message ids with no (or a fuzzy, or a partial plural) translation in `locale`."""
    template = template or extract()
    catalog = load(locale)
    out = []
    for msg in template:
        if not msg.id:
            continue
        have = catalog.get(msg.id)
        strings = have.string if have else None
        empty = not all(strings) if isinstance(strings, tuple | list) else not strings
        if have is None or have.fuzzy or empty:
            out.append(msg.id if isinstance(msg.id, str) else msg.id[0])
    return out


def update(locale: str, template: Catalog | None = None) -> int:
    """Merge new messages into a locale's catalogue; English gets its own text. Returns missing."""
    template = copy.deepcopy(template or extract())
    path = po_path(locale)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        catalog = load(locale)
        catalog.update(template, no_fuzzy_matching=True)
    else:
        catalog = Catalog(locale=locale, project="outreach")
        catalog.update(template, no_fuzzy_matching=True)
    if locale == "en":
        for msg in catalog:
            if msg.id and not (
                all(msg.string) if isinstance(msg.string, tuple | list) else msg.string
            ):
                msg.string = msg.id if isinstance(msg.id, str) else tuple(msg.id)
    catalog.obsolete.clear()
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, sort_output=True)
    return len(missing(locale, template))


def compile_all() -> None:
    """Write messages.mo beside each messages.po (what `pybabel compile` does)."""
    from babel.messages.mofile import write_mo

    for locale in LOCALES:
        po = po_path(locale)
        if po.exists():
            with po.with_suffix(".mo").open("wb") as fh:
                write_mo(fh, load(locale))

"""What an organisation tells the public about a site (outreach/public shows it): whether it is
listed at all, where to find it, its opening times, the languages spoken there, its
accessibility and what it offers. Set by the organisation's administrator, audited.

Only these facts reach the public page: never a record, a count or a person's name."""

from __future__ import annotations

from dataclasses import dataclass, field

from babel import Locale
from flask_babel import lazy_gettext as _l

from outreach.domain import DomainError
from outreach.extensions import db
from outreach.orgs import hours
from outreach.orgs.models import (
    ACCESSIBILITY_MAX,
    ADDRESS_MAX,
    HOURS_NOTE_MAX,
    LANGUAGES_MAX,
    Site,
)

# Languages a site may say it speaks: ISO 639 codes, Babel names them in the reader's language.
# Those spoken in Wales, England and Sweden by the people the sites serve, and the two sign
# languages, which Babel does not name (their labels are below).
LANGUAGE_CODES = (
    "en", "cy", "sv", "bfi", "swl", "ar", "bg", "bn", "cs", "de", "es", "fa", "fi", "fr", "gd",
    "hu", "it", "ku", "lt", "lv", "pa", "pl", "ps", "pt", "ro", "rom", "ru", "se", "sk", "so",
    "sq", "ta", "ti", "tr", "uk", "ur", "zh",
)  # fmt: skip
SIGN_LANGUAGES = {"bfi": _l("British Sign Language"), "swl": _l("Swedish Sign Language")}


def language_name(code: str, reader: str) -> str:
    """A language's name in the reader's language ("Welsh", "Cymraeg", "walesiska")."""
    if code in SIGN_LANGUAGES:
        return str(SIGN_LANGUAGES[code])
    name = Locale.parse(reader).languages.get(code) or code
    return name[:1].upper() + name[1:]


class SiteFactsError(DomainError):
    pass


@dataclass
class PublicFacts:
    """A site's public facts as typed: `days` maps each of hours.DAYS to what was typed."""

    public: bool = False
    address: str | None = None
    days: dict[str, str] = field(default_factory=dict)
    hours_note: str | None = None
    languages: list[str] = field(default_factory=list)
    accessibility: str | None = None
    offers_nasal: bool = False
    offers_injectable: bool = False
    offers_training: bool = False


def _text(value: str | None, limit: int, name: str) -> str | None:
    value = " ".join((value or "").split())
    if len(value) > limit:
        raise SiteFactsError(name, _l("Write at most %(count)d characters.", count=limit))
    return value or None


def _opening_hours(days: dict[str, str]) -> str | None:
    week = {}
    for day in hours.DAYS:
        try:
            week[day] = hours.parse_day(days.get(day))
        except hours.HoursError as exc:
            raise SiteFactsError(f"hours_{day}", exc.message) from exc
    return hours.keep(week)


def _languages(codes: list[str]) -> str | None:
    unknown = set(codes) - set(LANGUAGE_CODES)
    if unknown:
        raise SiteFactsError("languages", _l("Choose languages from the list."))
    kept = ",".join(c for c in LANGUAGE_CODES if c in codes)
    if len(kept) > LANGUAGES_MAX:
        raise SiteFactsError("languages", _l("Choose languages from the list."))
    return kept or None


def set_public_facts(site: Site, facts: PublicFacts) -> list[str]:
    """Store what the site tells the public; returns what changed, for the audit log."""
    values = {
        "public": bool(facts.public),
        "address": _text(facts.address, ADDRESS_MAX, "address"),
        "opening_hours": _opening_hours(facts.days),
        "hours_note": _text(facts.hours_note, HOURS_NOTE_MAX, "hours_note"),
        "languages": _languages(facts.languages),
        "accessibility": _text(facts.accessibility, ACCESSIBILITY_MAX, "accessibility"),
        "offers_nasal": bool(facts.offers_nasal),
        "offers_injectable": bool(facts.offers_injectable),
        "offers_training": bool(facts.offers_training),
    }
    changes = []
    for name, value in values.items():
        if getattr(site, name) != value:
            changes.append(f"{name}={value if value is not None else ''}")
            setattr(site, name, value)
    db.session.flush()
    return changes


def facts_of(site: Site) -> PublicFacts:
    """A site's stored public facts, as its form shows them again."""
    week = hours.read(site.opening_hours)
    return PublicFacts(
        public=site.public,
        address=site.address,
        days={day: hours.typed(week.get(day, ())) for day in hours.DAYS},
        hours_note=site.hours_note,
        languages=(site.languages or "").split(",") if site.languages else [],
        accessibility=site.accessibility,
        offers_nasal=site.offers_nasal,
        offers_injectable=site.offers_injectable,
        offers_training=site.offers_training,
    )

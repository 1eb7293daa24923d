"""A public site's facts as the page says them, in the reader's language: the opening times
by runs of days ("Monday to Friday: 09:00–17:00"), the languages by name, what it offers."""

from __future__ import annotations

from babel.dates import get_day_names
from flask_babel import gettext as _

from outreach.i18n import FORMAT_LOCALE, current_language
from outreach.orgs.hours import DAYS, Span
from outreach.orgs.publish import language_name
from outreach.public.queries import PublicSite
from outreach.templating import decimal


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def day_names() -> list[str]:
    names = get_day_names("wide", locale=FORMAT_LOCALE.get(current_language(), "en_GB"))
    return [_capital(names[i]) for i in range(len(DAYS))]


def _spans(spans: tuple[Span, ...]) -> str:
    return ", ".join(f"{start}–{end}" for start, end in spans) if spans else _("Closed")


def opening_rows(site: PublicSite) -> list[tuple[str, str]]:
    """(days, times) rows, a run of days with the same times in one row; [] when the site gave
    no times."""
    if not site.week:
        return []
    names, rows = day_names(), []
    run_start = 0
    for i in range(1, len(DAYS) + 1):
        if i < len(DAYS) and site.week.get(DAYS[i], ()) == site.week.get(DAYS[run_start], ()):
            continue
        first, last = names[run_start], names[i - 1]
        # A dash, not "to": a Welsh "i" would mutate the day's name after it ("i Ddydd Gwener").
        days = first if i - 1 == run_start else f"{first} – {last}"
        rows.append((days, _spans(site.week.get(DAYS[run_start], ()))))
        run_start = i
    return rows


def offers(site: PublicSite) -> list[str]:
    kinds = [
        (site.offers_nasal, _("Naloxone nasal spray")),
        (site.offers_injectable, _("Naloxone injection")),
        (site.offers_training, _("Training in how to give naloxone")),
    ]
    return [text for offered, text in kinds if offered]


def spoken(site: PublicSite) -> list[str]:
    reader = current_language()
    return sorted(language_name(code, reader) for code in site.languages)


def distance(km: float) -> str:
    return _("%(km)s km away", km=decimal(km, 1 if km < 100 else 0))

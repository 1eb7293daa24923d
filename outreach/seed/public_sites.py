"""What the demo's hubs tell the public (the page "Where to get naloxone", outreach/public):
one site of each demo organisation is shown, with its opening times, languages, accessibility
and what it offers. Addresses are made up; the other demo sites stay off the page."""

from __future__ import annotations

from outreach.orgs.models import Site
from outreach.orgs.publish import PublicFacts, set_public_facts

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


def _week(weekdays: str, **days: str) -> dict[str, str]:
    return {day: weekdays for day in WEEKDAYS} | days


DEMO_PUBLIC = {
    "Swansea city centre hub": PublicFacts(
        public=True,
        address="12 Orchard Street, Swansea",
        days=_week("09:00-17:00", sat="10:00-13:00"),
        hours_note="Closed on bank holidays.",
        languages=["en", "cy", "pl"],
        accessibility="Step-free entrance, accessible toilet, hearing loop.",
        offers_nasal=True,
        offers_injectable=True,
        offers_training=True,
    ),
    "Cardiff Central hub": PublicFacts(
        public=True,
        address="Westgate Street, Cardiff",
        days=_week("10:00-16:00", thu="10:00-16:00, 18:00-20:00"),
        languages=["en", "cy", "ar", "so"],
        accessibility="Step-free entrance.",
        offers_nasal=True,
        offers_training=True,
    ),
    "Newport city centre hub": PublicFacts(
        public=True,
        address="Commercial Road, Newport",
        days={d: "09:30-12:30, 13:30-16:30" for d in ("mon", "wed", "fri")},
        languages=["en", "cy"],
        accessibility="Ramp at the side door; ring the bell.",
        offers_injectable=True,
        offers_training=True,
    ),
    "New Street hub": PublicFacts(
        public=True,
        address="Navigation Street, Birmingham",
        days=_week("08:00-20:00", sat="08:00-20:00", sun="10:00-16:00"),
        languages=["en", "pa", "ur", "ro", "bfi"],
        offers_nasal=True,
        offers_injectable=True,
    ),
    "Centralstationen": PublicFacts(
        public=True,
        address="Drottningtorget 5, Göteborg",
        days=_week("08:00-16:00", sat="10:00-14:00"),
        hours_note="Stängt på helgdagar.",
        languages=["sv", "en", "ar", "fi", "fa"],
        accessibility="Hiss från gatan, tillgänglig toalett.",
        offers_nasal=True,
        offers_training=True,
    ),
}


def publish_demo_sites(sites: list[Site]) -> None:
    """Show the demo sites named in DEMO_PUBLIC on the public page."""
    for site in sites:
        facts = DEMO_PUBLIC.get(site.name)
        if facts is not None:
            set_public_facts(site, facts)

"""The coded lists of the domain (settings, reasons, roles…) and their translated labels."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ROLES = {
    "peer": _l("Peer worker"),
    "trainer": _l("Peer lead / trainer"),
    "coordinator": _l("Coordinator"),
    "stock_manager": _l("Stock manager"),
    "org_admin": _l("Organisation administrator"),
    "platform_admin": _l("Platform administrator"),
}

SETTINGS = {
    "street": _l("Street outreach"),
    "hostel": _l("Hostel"),
    "drop_in": _l("Drop-in"),
    "pharmacy": _l("Pharmacy"),
    "hospital": _l("Hospital in-reach"),
    "prison_release": _l("Prison release"),
    "police_custody": _l("Police custody"),
    "event": _l("Event"),
    "postal": _l("Postal"),
}

RECIPIENT_TYPES = {
    "at_risk": _l("Person at risk"),
    "family_friend": _l("Family member, friend or carer"),
    "worker": _l("Worker"),
    "other": _l("Other"),
}

SUPPLY = {"first": _l("First supply"), "repeat": _l("Repeat supply")}

REPEAT_REASONS = {
    "used_self": _l("Used on an overdose (on self)"),
    "used_other": _l("Used on an overdose (on someone else)"),
    "lost": _l("Lost"),
    "stolen": _l("Stolen"),
    "confiscated": _l("Confiscated"),
    "expired": _l("Expired"),
    "damaged": _l("Damaged"),
    "given_away": _l("Given away to someone else"),
    "other": _l("Other"),
}

PREVIOUS_SOURCES = {
    "this_service": _l("This service"),
    "other_service": _l("Another service"),
    "pharmacy": _l("Pharmacy"),
    "prison": _l("Prison"),
    "hospital": _l("Hospital"),
    "peer": _l("A peer worker"),
    "unknown": _l("Unknown"),
}

SEX = {"F": _l("Female"), "M": _l("Male"), "X": _l("Other / not stated")}

# The age bands the national programmes count, from the birth date the tablet asks for (the band
# is stored, the birth date never is: outreach/demographics.py).
AGE_BANDS = {
    "under_18": _l("Under 18"),
    "18_24": _l("18–24"),
    "25_34": _l("25–34"),
    "35_44": _l("35–44"),
    "45_54": _l("45–54"),
    "55_plus": _l("55 and over"),
}

# Where a kit was supplied, as Scotland's National Naloxone Programme counts it: a site's own
# type when set, else worked out from the setting (outreach/demographics.py outlet_type).
OUTLET_TYPES = {
    "community": _l("Community service (drug treatment)"),
    "non_drug_treatment": _l("Non-drug-treatment service"),
    "prison": _l("Prison on release"),
    "pharmacy": _l("Pharmacy"),
    "ambulance": _l("Ambulance service"),
    "hospital": _l("Hospital"),
    "peer": _l("Peer"),
}

# Where an overdose happened.
PLACE_TYPES = {
    "own_home": _l("Own home"),
    "other_home": _l("Someone else's home"),
    "hostel": _l("Hostel or supported housing"),
    "public": _l("Street or public place"),
    "service": _l("At a service"),
    "other": _l("Other"),
}

ROUTES = {"intramuscular": _l("Injection (intramuscular)"), "intranasal": _l("Nasal spray")}

ADMINISTERED_BY = {
    "peer": _l("Peer worker"),
    "family_friend": _l("Family member or friend"),
    "worker": _l("Worker"),
    "self": _l("Self-reported"),
    "other": _l("Other"),
}

OUTCOMES = {"survived": _l("Survived"), "died": _l("Died"), "unknown": _l("Unknown")}

SERVICES = {
    "naloxone": _l("Naloxone"),
    "injecting_equipment": _l("Injecting equipment"),
    "bbv_testing": _l("Blood-borne virus testing"),
    "wound_care": _l("Wound care"),
    "food_clothing": _l("Food or clothing"),
    "treatment_referral": _l("Referral to treatment"),
    "housing": _l("Housing"),
    "mental_health": _l("Mental health"),
}

REFERRALS = {
    "treatment": _l("Drug treatment"),
    "housing": _l("Housing"),
    "mental_health": _l("Mental health"),
    "gp": _l("GP or primary care"),
    "bbv": _l("Blood-borne virus service"),
    "other": _l("Other"),
}

TRAINING_KINDS = {
    "peer_distributor": _l("Peer distributor course"),
    "peer_trainer": _l("Peer trainer course"),
    "brief_intervention": _l("Brief intervention with a recipient"),
    "refresher": _l("Refresher"),
}

# Kinds of training that make a user a current, trained distributor.
DISTRIBUTOR_KINDS = ("peer_distributor", "peer_trainer", "refresher")

TRAINING_TOPICS = {
    "recognising_overdose": _l("Recognising an overdose"),
    "recovery_position": _l("Recovery position"),
    "calling_emergency": _l("Calling emergency services"),
    "giving_naloxone": _l("Giving naloxone"),
    "cpr": _l("Rescue breaths and CPR"),
    "aftercare": _l("Aftercare and staying with the person"),
    "distribution_records": _l("Recording a supply"),
}


def choices(mapping: dict, blank: str | None = None) -> list[tuple[str, object]]:
    """WTForms choices from a coded list, optionally with a leading blank entry."""
    items = [(k, v) for k, v in mapping.items()]
    return ([("", blank)] if blank is not None else []) + items


def label(mapping: dict, code: str | None) -> str:
    """The translated label of a code, or the code itself when unknown."""
    if code is None:
        return ""
    return str(mapping.get(code, code))

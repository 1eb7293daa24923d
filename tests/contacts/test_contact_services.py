"""The contact service and its soft check for identifying details in notes."""

from __future__ import annotations

from datetime import date

import pytest

from outreach.contacts.services import ContactInput, identifying_detail, record_contact
from outreach.domain import DomainError
from outreach.places import Location

TODAY = date(2025, 6, 1)
HERE = Location(51.62, -3.94, "gps")


@pytest.mark.parametrize(
    ("notes", "kind"),
    [
        ("DOB 4/5/79", "dob"),
        ("d.o.b. unknown", "dob"),
        ("born on the 3rd", "dob"),
        ("03/04/1988", "dob"),
        ("1988-04-03", "dob"),
        ("3rd April 1988", "dob"),
        ("April 3, 1988", "dob"),
        ("880403-1234", "dob"),
        ("07700 900123", "phone"),
        ("tel 07700900123", "phone"),
        ("+44 (0)7700 900 123", "phone"),
        ("029 2087 1234", "phone"),
        ("(01792) 123456", "phone"),
        ("+46 70 123 45 67", "phone"),
        ("someone@example.org", "email"),
        ("SA1 1DP", "postcode"),
        ("cf10 3at", "postcode"),
        ("NP201AA", "postcode"),
    ],
)
def test_identifying_details_are_recognised(notes, kind):
    assert identifying_detail(f"seen today, {notes}, ok", today=TODAY) == kind


@pytest.mark.parametrize(
    "notes",
    [
        "Gave 3 kits at 14:30, quiet night, 12 people about",
        "Session on 12/05/2025, follow up on 2025-06-02",
        "Met 2 people near the 24 hour garage, x2 2nd kits",
        "Asked about the 10am clinic, room 101",
        "",
    ],
)
def test_ordinary_notes_pass_the_soft_check(notes):
    assert identifying_detail(notes, today=TODAY) is None


def test_record_contact_refuses_identifying_notes_with_the_notes_field(in_request, make):
    peer = make.user()
    with pytest.raises(DomainError) as err:
        record_contact(ContactInput(location=HERE, notes="mail a@b.co"), recorded_by=peer)
    assert err.value.field == "notes" and "e-mail" in str(err.value.message)


def test_record_contact_refuses_unknown_service_codes(in_request, make):
    peer = make.user()
    with pytest.raises(DomainError) as err:
        record_contact(ContactInput(location=HERE, services=["massage"]), recorded_by=peer)
    assert err.value.field == "services"


def test_record_contact_returns_the_existing_record_for_a_known_client_id(in_request, make):
    peer = make.user()
    data = ContactInput(location=HERE, client_id="d3b07384-d9a0-4c9b-8f1e-6f7a2b3c4d5e")
    first = record_contact(data, recorded_by=peer)
    assert record_contact(data, recorded_by=peer).id == first.id


def test_record_contact_refuses_a_client_id_used_by_another_organisation(in_request, make):
    peer, outsider = make.user(), make.user()
    data = ContactInput(location=HERE, client_id="d3b07384-d9a0-4c9b-8f1e-6f7a2b3c4d5e")
    record_contact(data, recorded_by=peer)
    with pytest.raises(DomainError) as err:
        record_contact(data, recorded_by=outsider)
    assert err.value.field == "client_id"

"""The overdose service's own checks, which the JSON API will rely on."""

from __future__ import annotations

import pytest

from outreach.domain import DomainError
from outreach.overdoses.services import OverdoseInput, record_overdose
from outreach.places import Location

HERE = Location(51.62, -3.94, "gps")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"doses": 21}, "doses"),
        ({"doses": -1}, "doses"),
        ({"administered_by": "stranger"}, "administered_by"),
        ({"outcome": "fine"}, "outcome"),
        ({"route": "oral"}, "route"),
        ({"emergency_called": "maybe"}, "emergency_called"),
        ({"referred": "maybe"}, "referred"),
        ({"taken_to_hospital": "maybe"}, "taken_to_hospital"),
        ({"place_type": "moon"}, "place_type"),
        ({"age_band": "18-24"}, "age_band"),
        ({"sex": "f"}, "sex"),
        ({"product_id": 999_999}, "product_id"),
    ],
)
def test_record_overdose_refuses_bad_values_naming_the_field(in_request, make, changes, field):
    peer = make.user()
    data = OverdoseInput(**{"administered_by": "peer", "location": HERE, **changes})
    with pytest.raises(DomainError) as err:
        record_overdose(data, recorded_by=peer)
    assert err.value.field == field


def test_record_overdose_refuses_an_inactive_product(in_request, make):
    peer = make.user()
    product = make.product(active=False)
    data = OverdoseInput(administered_by="peer", location=HERE, product_id=product.id)
    with pytest.raises(DomainError) as err:
        record_overdose(data, recorded_by=peer)
    assert err.value.field == "product_id"


def test_record_overdose_returns_the_existing_report_for_a_known_client_id(in_request, make):
    peer = make.user()
    data = OverdoseInput(
        administered_by="peer", location=HERE, client_id="1b4e28ba-2fa1-41d2-883f-0016d3cca427"
    )
    first = record_overdose(data, recorded_by=peer)
    assert record_overdose(data, recorded_by=peer).id == first.id

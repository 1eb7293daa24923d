"""The example bodies the OpenAPI document shows with each request (tests/api/test_openapi.py
checks each one validates)."""

EXAMPLE_CLIENT_ID = "3f2b8c1e-7d4a-4c1b-9e2f-0a1b2c3d4e5f"
EXAMPLE_DIGEST = "9b74c9897bac770ffc029102a200c5de5d5f8b7e2c6a1f4b3f0c8c2e8d9e1a7b"

# A new record of each kind, without its client_id.
EXAMPLES: dict[str, dict] = {
    "handout": {
        "occurred_at": "2026-10-14T10:30:00+01:00",
        "latitude": 51.6214,
        "longitude": -3.9436,
        "product_id": 1,
        "quantity": 1,
        "supply": "first",
        "setting": "street",
        "recipient_type": "at_risk",
        "client_code_digest": EXAMPLE_DIGEST,
        "age_band": "25_34",
        "sex": "F",
    },
    "tally": {"site_id": 1, "product_id": 1, "quantity": 12, "people_count": 12},
    "contact": {
        "latitude": 51.6214,
        "longitude": -3.9436,
        "setting": "hostel",
        "people_count": 1,
        "services": ["naloxone", "wound_care"],
        "referrals": ["housing"],
    },
    "overdose_report": {
        "place_name": "Swansea",
        "administered_by": "peer",
        "outcome": "survived",
        "doses": 2,
        "emergency_called": True,
        "taken_to_hospital": False,
        "place_type": "public",
        "age_band": "35_44",
        "sex": "M",
    },
    "training_attendance": {
        "held_on": "2026-10-01",
        "place": "Training room",
        "kind": "peer_distributor",
        "topics": ["recognising_overdose", "giving_naloxone"],
        "attendee_ids": [2],
    },
}

# A correction of each kind: only what changes.
PATCH_EXAMPLES: dict[str, dict] = {
    "handout": {"quantity": 2, "recipient_type": "family_friend"},
    "tally": {"people_count": 10, "people_trained": 7},
    "contact": {"services": ["naloxone", "wound_care"], "people_count": 2},
    "overdose_report": {"outcome": "survived", "emergency_called": True},
}

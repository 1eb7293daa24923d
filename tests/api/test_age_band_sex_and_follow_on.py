"""The API takes a handout's and an overdose report's age band and sex (never a birth date), and
an overdose's type of place, referral and hospital; a bad value is a 422 naming the field, never
a 500; the records read back with them, and a correction keeps what it is not sent."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.overdoses.models import OverdoseReport
from tests.api.conftest import bodies, new_id

PERSON = {"age_band": "25_34", "sex": "F"}
FOLLOW_ON = {"place_type": "own_home", "referred": True, "taken_to_hospital": False}


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_a_handout_is_stored_and_read_back_with_its_age_band_and_sex(api, world):
    body = {"client_id": new_id(), **bodies(world)["handout"], **PERSON}
    res = api.post("/handouts", body)
    assert res.status_code == 201, res.get_json()
    assert (res.get_json()["age_band"], res.get_json()["sex"]) == ("25_34", "F")
    assert db.session.execute(select(Handout.age_band, Handout.sex)).one() == ("25_34", "F")
    (item,) = api.get("/handouts").get_json()["items"]
    assert (item["age_band"], item["sex"]) == ("25_34", "F")


def test_an_overdose_report_is_stored_and_read_back_with_its_place_care_and_person(api, world):
    body = {"client_id": new_id(), **bodies(world)["overdose_report"], **PERSON, **FOLLOW_ON}
    res = api.post("/overdose-reports", body)
    assert res.status_code == 201, res.get_json()
    report = db.session.scalar(select(OverdoseReport))
    assert (report.place_type, report.referred, report.taken_to_hospital) == (
        "own_home",
        True,
        False,
    )
    assert (report.age_band, report.sex) == ("25_34", "F")
    (item,) = api.get("/overdose-reports").get_json()["items"]
    assert {k: item[k] for k in (*PERSON, *FOLLOW_ON)} == {**PERSON, **FOLLOW_ON}


def test_left_out_they_are_stored_as_not_known(api, world):
    body = {"client_id": new_id(), **bodies(world)["overdose_report"]}
    out = api.post("/overdose-reports", body).get_json()
    assert [out[k] for k in (*PERSON, *FOLLOW_ON)] == [None] * 5


BAD = [
    ("handout", "/handouts", {"age_band": "25-34"}, "age_band"),
    ("handout", "/handouts", {"sex": "female"}, "sex"),
    ("handout", "/handouts", {"client_dob": "1990-03-09"}, "client_dob"),
    ("overdose_report", "/overdose-reports", {"age_band": 30}, "age_band"),
    ("overdose_report", "/overdose-reports", {"sex": "m"}, "sex"),
    ("overdose_report", "/overdose-reports", {"place_type": "moon"}, "place_type"),
    ("overdose_report", "/overdose-reports", {"referred": "perhaps"}, "referred"),
    ("overdose_report", "/overdose-reports", {"taken_to_hospital": [1]}, "taken_to_hospital"),
]


@pytest.mark.parametrize(("kind", "path", "bad", "field"), BAD)
def test_a_bad_value_is_a_422_naming_the_field_and_why(api, world, kind, path, bad, field):
    model = Handout if kind == "handout" else OverdoseReport
    res = api.post(path, {"client_id": new_id(), **bodies(world)[kind], **bad})
    assert res.status_code == 422 and res.mimetype == "application/problem+json"
    (error,) = res.get_json()["fields"]
    assert error["field"] == field and error["reason"]
    assert _count(model) == 0


def test_a_code_is_one_of_the_options_and_the_reason_says_so(api, world):
    body = {"client_id": new_id(), **bodies(world)["handout"], "age_band": "over_60"}
    (error,) = api.post("/handouts", body).get_json()["fields"]
    assert error == {"field": "age_band", "reason": "Choose one of the options."}


def test_a_tally_takes_no_age_band(api, world):
    body = {"client_id": new_id(), **bodies(world)["tally"], "age_band": "25_34"}
    res = api.post("/tallies", body)
    assert res.status_code == 422
    assert [f["field"] for f in res.get_json()["fields"]] == ["age_band"]


def test_a_sync_batch_stores_them_and_refuses_a_bad_one_by_its_field(api, world):
    good = {**bodies(world)["overdose_report"], **PERSON, **FOLLOW_ON}
    bad = {**bodies(world)["handout"], "sex": "Q"}
    res = api.post(
        "/sync",
        {
            "records": [
                {"kind": "overdose_report", "client_id": new_id(), "data": good},
                {"kind": "handout", "client_id": new_id(), "data": bad},
            ]
        },
    )
    assert res.status_code == 200, res.get_json()
    stored, refused = res.get_json()["results"]
    assert stored["status"] == "stored"
    assert refused["status"] == "refused" and refused["http_status"] == 422
    assert [e["field"] for e in refused["errors"]] == ["data.sex"]
    assert db.session.scalar(select(OverdoseReport.age_band)) == "25_34"


def test_a_correction_changes_what_is_sent_and_keeps_the_rest(api, world):
    body = {"client_id": new_id(), **bodies(world)["overdose_report"], **PERSON, **FOLLOW_ON}
    report_id = api.post("/overdose-reports", body).get_json()["id"]
    res = api.client.patch(
        f"/api/v1/overdose-reports/{report_id}",
        json={"taken_to_hospital": True, "sex": "X"},
        headers=api.headers(),
    )
    assert res.status_code == 200, res.get_json()
    out = res.get_json()
    assert (out["taken_to_hospital"], out["sex"]) == (True, "X")
    assert (out["age_band"], out["place_type"], out["referred"]) == ("25_34", "own_home", True)
    res = api.client.patch(
        f"/api/v1/overdose-reports/{report_id}", json={"age_band": "old"}, headers=api.headers()
    )
    assert res.status_code == 422
    assert [f["field"] for f in res.get_json()["fields"]] == ["age_band"]
    db.session.expire_all()
    assert db.session.get(OverdoseReport, report_id).age_band == "25_34"

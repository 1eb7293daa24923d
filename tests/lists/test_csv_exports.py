"""A list as CSV: exactly its filtered records over every page, in the organisation's time zone
and the reader's language, with no client code or notes, formula cells neutralised, audited."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from outreach.extensions import db
from tests.lists.conftest import (
    AT_SITE,
    add_contact,
    add_handout,
    add_report,
    at_gps,
    at_place,
    at_site,
    by_heading,
    read_csv,
    void,
)

HASH = "f" * 64
EXPORTS = ("/handouts/export.csv", "/contacts/export.csv", "/overdoses/export.csv")


def _ids(rows) -> set[int]:
    return {int(row[0]) for row in rows[1:]}


def test_handout_csv_holds_exactly_the_filtered_records_of_every_page(app, client, auth, world):
    in_range = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)
    wanted = {
        add_handout(world.peer, world.product, at_gps(), setting="hostel", occurred_at=in_range).id
        for _ in range(app.config["PAGE_SIZE"] + 3)
    }
    add_handout(world.peer, world.product, at_gps(), setting="street", occurred_at=in_range)
    add_handout(
        world.peer,
        world.product,
        at_gps(),
        setting="hostel",
        occurred_at=in_range - timedelta(days=30),
    )
    gone = add_handout(world.peer, world.product, at_gps(), setting="hostel", occurred_at=in_range)
    void(gone, world.coordinator, "handout")
    add_handout(world.outsider, world.product, at_gps(), setting="hostel", occurred_at=in_range)
    auth.login(world.coordinator)
    args = "setting=hostel&start=2026-11-01&end=2026-11-30"
    listing = client.get(f"/handouts/?{args}").get_data(as_text=True)
    assert "Page 1 of 2" in listing  # the list takes more than one page
    rows = read_csv(client.get(f"/handouts/export.csv?{args}&page=2"))
    assert _ids(rows) == wanted  # every page, not the page asked for, and nothing else
    with_voided = read_csv(client.get(f"/handouts/export.csv?{args}&voided=with"))
    assert _ids(with_voided) == wanted | {gone.id}
    flags = {int(r["Record number"]): r["Voided"] for r in by_heading(with_voided)}
    assert flags[gone.id] == "Yes" and {flags[i] for i in wanted} == {"No"}


def test_handout_csv_row_says_what_who_where_and_when(client, auth, world):
    handout = add_handout(
        world.peer,
        world.product,
        at_site(world.site),
        recorder=world.coordinator,
        supply="repeat",
        repeat_reason="used_other",
        recipient_type="family_friend",
        setting="hostel",
        quantity=2,
        occurred_at=datetime(2026, 11, 10, 21, 5, tzinfo=UTC),
        age_band="25_34",
        sex="F",
    )
    auth.login(world.coordinator)
    resp = client.get("/handouts/export.csv")
    today = datetime.now(ZoneInfo("Europe/London")).date().isoformat()  # the organisation's day
    assert resp.headers["Content-Disposition"] == (
        f'attachment; filename="outreach-handouts-{today}.csv"'
    )
    [row] = by_heading(read_csv(resp))
    assert row == {
        "Record number": str(handout.id),
        "Local time (Europe/London)": "2026-11-10 21:05",
        "UTC offset": "UTC+00:00",
        "Kind": "Single",
        "Product": "Nyxoid 1.8 mg nasal spray",
        "Kits": "2",
        "Setting": "Hostel",
        "Supply": "Repeat supply",
        "Reason for repeat supply": "Used on an overdose (on someone else)",
        "Recipient": "Family member, friend or carer",
        "Overdose and naloxone training given": "No",
        "Age band": "25–34",
        "Sex": "Female",
        "Number of people": "",
        "Number of people trained": "",
        "Given by": "Dafydd Peer",
        "Where": AT_SITE,
        "Latitude": "51.621",
        "Longitude": "-3.944",
        "Voided": "No",
    }


def test_a_tally_row_gives_its_people_and_people_trained(client, auth, world):
    add_handout(
        world.peer,
        world.product,
        at_place("Mumbles"),
        kind="tally",
        supply=None,
        quantity=12,
        people_count=10,
        people_trained=9,
    )
    auth.login(world.coordinator)
    [row] = by_heading(read_csv(client.get("/handouts/export.csv?kind=tally")))
    assert (row["Kind"], row["Kits"], row["Number of people"]) == ("Tally", "12", "10")
    assert row["Number of people trained"] == "9" and row["Supply"] == ""
    assert row["Overdose and naloxone training given"] == "" and row["Where"] == "Mumbles"


def test_times_are_in_the_organisations_zone_on_both_sides_of_the_clock_change(
    client, auth, make, world
):
    world.org.timezone = "Europe/Stockholm"
    db.session.commit()
    winter = add_handout(
        world.peer, world.product, at_gps(), occurred_at=datetime(2026, 11, 17, 23, 30, tzinfo=UTC)
    )
    summer = add_handout(
        world.peer, world.product, at_gps(), occurred_at=datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
    )
    auth.login(world.coordinator)
    rows = by_heading(read_csv(client.get("/handouts/export.csv")))
    when = {
        int(r["Record number"]): (r["Local time (Europe/Stockholm)"], r["UTC offset"]) for r in rows
    }
    assert when[winter.id] == ("2026-11-18 00:30", "UTC+01:00")
    assert when[summer.id] == ("2026-07-02 00:30", "UTC+02:00")
    # The date filter is the organisation's local day too: 00:30 on the 18th is the 18th.
    day = read_csv(client.get("/handouts/export.csv?start=2026-11-18&end=2026-11-18"))
    assert _ids(day) == {winter.id}


def test_no_client_code_hash_and_no_notes_ever_leave_in_a_csv(client, auth, world):
    add_handout(world.peer, world.product, at_gps(), client_hash=HASH)
    add_contact(world.peer, at_gps(), client_hash=HASH, notes="Met by the old lido steps")
    add_report(world.peer, at_gps(), client_hash=HASH)
    auth.login(world.coordinator)
    for path in EXPORTS:
        body = client.get(path).data.decode("utf-8-sig")
        assert len(body.splitlines()) == 2, path  # the record is in it
        assert HASH not in body and "lido" not in body, path
        assert "client" not in body.lower() and "notes" not in body.lower(), path


def test_formula_like_cells_are_neutralised(client, auth, make, world):
    sneaky = make.user(organisation=world.org, display_name='=HYPERLINK("http://x")')
    make.commit()
    add_handout(sneaky, world.product, at_place("@SUM(A1:A9)"))
    auth.login(world.coordinator)
    [row] = by_heading(read_csv(client.get("/handouts/export.csv")))
    assert row["Given by"] == '\'=HYPERLINK("http://x")'
    assert row["Where"] == "'@SUM(A1:A9)"
    assert row["Longitude"] == "-3.994"  # a negative number stays a number


def test_a_swedish_reader_gets_semicolons_decimal_commas_and_swedish_headings(client, auth, world):
    add_report(world.peer, at_gps(51.61234, -3.95678), emergency_called=True, outcome="survived")
    client.post("/language", data={"language": "sv", "next": "/"})
    auth.login(world.coordinator)
    rows = read_csv(client.get("/overdoses/export.csv"), delimiter=";")
    assert len(rows) == 2 and len(rows[0]) == len(rows[1]) > 10
    [row] = by_heading(rows)
    assert row["Latitud"] == "51,612" and row["Longitud"] == "-3,957"
    assert row["Utfall"] == "Överlevde" and row["Registrerad av"] == "Dafydd Peer"
    today = datetime.now(ZoneInfo("Europe/London")).date().isoformat()  # reported just now
    assert row["Lokal tid (Europe/London)"].startswith(today)


def test_a_welsh_reader_gets_welsh_headings_and_labels(client, auth, world):
    add_contact(world.peer, at_site(world.site), setting="hostel", services=["naloxone"])
    client.post("/language", data={"language": "cy", "next": "/"})
    auth.login(world.coordinator)
    rows = read_csv(client.get("/contacts/export.csv"))
    assert rows[0][:2] == ["Rhif y cofnod", "Amser lleol (Europe/London)"]
    assert "Cofnodwyd gan" in rows[0] and "Naloxone" in rows[1]


def test_contact_and_overdose_csvs_carry_their_own_columns(client, auth, world):
    add_contact(
        world.peer,
        at_site(world.site),
        people_count=3,
        services=["naloxone", "wound_care"],
        referrals=["housing"],
    )
    add_report(
        world.peer,
        at_place("Mumbles"),
        administered_by="family_friend",
        doses=2,
        route="intranasal",
        someone_stayed=False,
        taken_to_hospital=True,
        place_type="other_home",
        product_id=world.product.id,
        age_band="under_18",
        sex="X",
    )
    auth.login(world.coordinator)
    [contact] = by_heading(read_csv(client.get("/contacts/export.csv")))
    assert contact["Number of people"] == "3" and contact["Where"] == AT_SITE
    assert contact["Services offered"] == "Naloxone, Wound care"
    assert contact["Referrals made"] == "Housing" and contact["Recorded by"] == "Dafydd Peer"
    [report] = by_heading(read_csv(client.get("/overdoses/export.csv")))
    assert report["Who gave the naloxone"] == "Family member or friend"
    assert report["Number of doses given"] == "2" and report["Route"] == "Nasal spray"
    assert report["Emergency services called (999 / 112)"] == "Not known"
    assert report["Someone stayed with the person"] == "No"
    assert report["Taken to hospital"] == "Yes"
    assert report["Referred to a service afterwards"] == "Not known"
    assert report["Type of place"] == "Someone else's home"
    assert (report["Age band"], report["Sex"]) == ("Under 18", "Other / not stated")
    assert report["Which kit, if known"] == "Nyxoid 1.8 mg nasal spray"
    assert report["Where"] == "Mumbles"

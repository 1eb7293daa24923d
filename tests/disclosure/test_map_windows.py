"""The attacker, partner organisation A, dates or counts partner B's events on the map by
playing with the time window: binary search to the second, windows a second apart, sub-day
windows. Each recovers nothing: partners' data is counted over whole local days only, a small
count adds nothing, and no flag says whether anything was left out."""

from __future__ import annotations

from datetime import timedelta

from tests.disclosure.conftest import (
    SWANSEA,
    at,
    cell_counts,
    geojson,
    local,
    wipe_org_handouts,
)

CARMARTHEN = (51.858, -4.31)  # A's own events elsewhere, so answers are never simply empty


def _binary_search(client, lo, hi, steps: int = 21) -> list:
    """The published attack: windows from a fixed start (just after the attacker's own events)
    to a moving end, halving [lo, hi] by whether partners' data shows up: 21 requests date an
    event to the second. Returns every answer it saw."""
    answers, start = [], lo
    for _ in range(steps):
        mid = lo + (hi - lo) / 2
        body = geojson(
            client,
            start=start.isoformat(timespec="microseconds"),
            end=mid.isoformat(timespec="microseconds"),
            bbox="51.3,-4.5,52.0,-3.5",
        )
        answers.append(body["features"])  # every property, whatever it may give away
        props = [f["properties"] for f in body["features"]]
        partners_seen = any(p.get("partner_data_withheld") or p["count"] != p["own"] for p in props)
        lo, hi = (lo, mid) if partners_seen else (mid, hi)
    return answers


def test_binary_search_over_the_window_gets_the_same_answers_without_the_hidden_events(
    client, auth, orgs, place
):
    a, b = orgs["a"], orgs["b"]
    day = at(3)
    place.handouts(b, *SWANSEA, n=3, when=local(b, day, 14, 23, 17))
    place.handouts(a, *SWANSEA, n=2, when=local(a, day, 9))  # own events in the same cell
    place.handouts(a, *CARMARTHEN, n=2, when=local(a, day, 9))
    auth.login(a)
    lo, hi = local(a, day, 8).replace(tzinfo=None), local(a, day, 23, 59, 59).replace(tzinfo=None)
    with_events = _binary_search(client, lo, hi)
    wipe_org_handouts(b)
    assert _binary_search(client, lo, hi) == with_events


def test_windows_a_second_apart_around_a_large_partner_cell_give_the_same_answer(
    client, auth, orgs, place
):
    a, b = orgs["a"], orgs["b"]
    day = at(3)
    place.handouts(b, *SWANSEA, n=12, when=local(b, day, 14, 0, 0))
    auth.login(a)
    d = local(a, day, 0).strftime("%Y-%m-%d")
    windows = [
        (f"{d}T00:00:00", f"{d}T13:59:59"),
        (f"{d}T13:59:59", f"{d}T14:00:01"),
        (f"{d}T14:00:01", f"{d}T23:59:59"),
        (f"{d}T00:00:00", f"{d}T00:00:01"),
        (d, d),
    ]
    answers = [cell_counts(geojson(client, start=s, end=e)) for s, e in windows]
    assert all(x == answers[0] for x in answers)  # each widened to the whole local day
    ((count, own),) = answers[0].values()
    assert own == 0 and count % 5 == 0 and abs(count - 12) <= 4  # honest where large


def test_no_feature_or_collection_says_whether_partner_data_was_left_out(client, auth, orgs, place):
    a, b = orgs["a"], orgs["b"]
    place.handouts(a, *SWANSEA, n=2)
    place.handouts(b, *SWANSEA, n=3)
    auth.login(a)
    body = geojson(client, gi="1")
    for feature in body["features"]:
        assert set(feature["properties"]) == {"key", "layer", "count", "own", "z", "p", "hot"}
        assert feature["properties"]["count"] == 2  # the own part alone, as without partners
    assert "withheld" not in str(body) and "suppressed" not in str(body)


def test_a_window_ending_before_the_day_of_a_large_partner_cell_shows_nothing_of_it(
    client, auth, orgs, place
):
    a, b = orgs["a"], orgs["b"]
    day = at(3)
    place.handouts(b, *SWANSEA, n=12, when=local(b, day, 14))
    auth.login(a)
    before = local(a, day, 0) - timedelta(seconds=1)
    body = geojson(
        client,
        start=(before - timedelta(days=2)).strftime("%Y-%m-%d"),
        end=before.strftime("%Y-%m-%dT%H:%M:%S"),
    )
    assert cell_counts(body) == {}

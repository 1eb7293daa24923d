"""The service worker's background copy of a kept page never sets the session cookie, so it
cannot overwrite a form's flashed "Saved." arriving at the same moment."""

from __future__ import annotations


def test_a_background_copy_sets_no_cookie_and_a_visit_does(client, auth, make):
    peer = make.user()
    make.commit()
    auth.login(peer)
    background = client.get("/handouts/new", headers={"X-Outreach-Background": "1"})
    assert background.status_code == 200
    assert not background.headers.getlist("Set-Cookie")
    visit = client.get("/handouts/new")
    assert any(c.startswith("session=") for c in visit.headers.getlist("Set-Cookie"))

"""The server error page (500) never promises that nothing was saved: a failure can come after
the commit, so it says the action may or may not have been saved and to check first."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from outreach.extensions import db
from outreach.orgs.models import Organisation

SAYS = {
    "en": "What you sent may or may not have been saved: check before you send it again.",
    "cy": "Efallai fod yr hyn a anfonoch wedi'i gadw, neu efallai ddim: gwiriwch cyn ei anfon eto.",
    "sv": "Det du skickade kan ha sparats, eller inte: kontrollera innan du skickar det igen.",
}
NEVER = ("nothing was saved", "ni chadwyd dim", "inget sparades")


@pytest.fixture
def fails_after_commit(app, monkeypatch):
    """The home page's view commits a row, then fails while drawing its answer."""
    monkeypatch.setitem(app.config, "PROPAGATE_UNHANDLED", False)

    def commits_then_fails():
        db.session.add(Organisation(name="Saved before the failure", area="Swansea Bay"))
        db.session.commit()
        raise RuntimeError("the answer could not be drawn")

    monkeypatch.setitem(app.view_functions, "home.index", commits_then_fails)
    monkeypatch.setattr(app.logger, "exception", lambda *a, **k: None)  # expected here


@pytest.mark.parametrize("lang", ["en", "cy", "sv"])
def test_a_500_after_the_commit_says_it_may_have_been_saved_and_to_check(
    client, fails_after_commit, lang
):
    client.post("/language", data={"language": lang, "next": "/login"})
    resp = client.get("/")
    page = resp.get_data(as_text=True).replace("&#39;", "'")
    assert resp.status_code == 500
    assert SAYS[lang] in page
    assert not any(words in page.lower() for words in NEVER)
    saved = db.session.scalar(
        select(func.count()).where(Organisation.name == "Saved before the failure")
    )
    assert saved == 1  # the page was right not to say "nothing was saved"


def test_a_500_answered_as_json_says_the_same(client, fails_after_commit):
    resp = client.get("/", headers={"Accept": "application/json"})
    body = resp.get_json()
    assert resp.status_code == 500 and resp.mimetype == "application/problem+json"
    assert body["detail"].endswith(SAYS["en"])
    assert "nothing was saved" not in body["detail"]

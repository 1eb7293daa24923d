"""Every form of the app, posted random, huge, unicode and missing values by each role with a
valid CSRF token: no answer is a 500, and nothing is stored half-way (a refused form changes
no record; whatever is saved keeps the stock ledger exact and every record whole)."""

from __future__ import annotations

from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import select

from outreach.auth.models import User
from outreach.extensions import db
from outreach.models.base import utcnow
from outreach.timezones import local_now
from tests.fuzz import values
from tests.fuzz.conftest import USERS
from tests.fuzz.invariants import BOOKKEEPING, broken, row_counts
from tests.fuzz.pages import Field, Form, crawl, parse

ROLES = ("anonymous", "peer", "coordinator", "stock_manager", "org_admin", "platform_admin")
# The roles the issue names first get more examples; the others still reach their own forms.
EXAMPLES = {"peer": 8, "coordinator": 8}
NOT_FUZZED = {"auth.logout"}  # it ends the session the other forms use
# Forms that end what other forms act on (a void, a cancelled request): fuzzed after those,
# on another object where the crawl found two. Then those that may end or demote the
# session's own account.
ENDING = {
    "handouts.void",
    "contacts.void",
    "overdoses.void",
    "stock.cancel_request",
    "admin.partnership_end",
    "maps.close",
    "maps.acknowledge",
}
LAST = {"admin.user_edit", "admin.organisation_active", "auth.password"}


def order(item) -> tuple:
    endpoint = item[0]
    return endpoint in LAST, endpoint in ENDING, endpoint


# POST routes that the pages' scripts call, not a form: posted as if a form of that page.
SCRIPTED = {
    "handouts.code_history": ("handouts.new", "/handouts/code-history", {"digest": "ab" * 32}),
}


def post(client, action: str, fields: dict[str, str]):
    """A form post as bytes: a lone surrogate goes as the UTF-8 bytes a hostile client sends."""
    body = urlencode(list(fields.items()), encoding="utf-8", errors="surrogatepass")
    return client.post(action, data=body, content_type="application/x-www-form-urlencoded")


def fuzz(client, form, examples: int) -> None:
    now = local_now(ZoneInfo("Europe/London"))  # the Swansea demo organisation's zone

    @given(fields=values.body(form.fields, keep={"csrf_token"}, now=now))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(fields):
        db.session.rollback()
        before, since = row_counts(), utcnow()
        res = post(client, form.action, fields)
        assert res.status_code < 500, f"{form.action}: {res.status_code}"
        db.session.rollback()
        changed = {t for t, n in row_counts().items() if before[t] != n}
        if res.status_code not in (302, 303):
            assert changed <= BOOKKEEPING, f"{form.action} refused ({res.status_code}): {changed}"
        assert broken(since) == {}, form.action

    run()


@pytest.fixture
def csrf_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


@pytest.mark.parametrize("role", ROLES)
def test_no_form_answers_500_or_stores_half_a_record_whatever_a_role_posts(
    app, client, login, csrf_on, role
):
    login(role)
    forms = with_scripted(crawl(client, app)) if role != "anonymous" else crawl_login(client, app)
    assert forms, role
    assert broken(utcnow()) == {}  # the demo itself is whole
    own = f"/users/{db.session.scalar(select(User.id).filter_by(username=USERS.get(role)))}/"
    for endpoint, found in sorted(forms.items(), key=order):
        if endpoint in NOT_FUZZED:
            continue
        login(role)  # afresh: an earlier form may have ended the session
        # Not the user's own account: a new password there would end the logins that follow.
        others = [f for f in found if own not in f.action] or found
        form = others[-1] if endpoint in ENDING else others[0]
        fuzz(client, served(client, form), EXAMPLES.get(role, 4))


def served(client, form):
    """The form as its page serves it now (a fresh CSRF token for this session); a scripted
    one takes the token of the page's forms."""
    forms, _links = parse(form.page, client.get(form.page).get_data(as_text=True))
    same = next((f for f in forms if f.action == form.action), None)
    if same is None and forms and "csrf_token" in forms[0].fields:
        form.fields["csrf_token"] = forms[0].fields["csrf_token"]
    return same or form


def with_scripted(forms: dict) -> dict:
    """The crawled forms, plus the scripted posts of the pages found."""
    for endpoint, (page_endpoint, action, typed) in SCRIPTED.items():
        if page_endpoint in forms:
            page = forms[page_endpoint][0]
            fields = {name: Field(name, "text", value) for name, value in typed.items()}
            forms[endpoint] = [Form(page.page, action, fields)]
    return forms


def crawl_login(client, app):
    forms, _links = parse("/login", client.get("/login").get_data(as_text=True))
    return {"auth.login": [f for f in forms if f.action == "/login"]}


def test_every_post_route_has_a_form_that_some_role_reaches(app, client, login):
    """A new form cannot escape the fuzzing: each POST route of the pages is found by the crawl
    of at least one role, or posted as its page's script does (SCRIPTED), or fuzzed by
    test_two_step_fuzz.py (the forms of a person who has set up two-step verification)."""
    from tests.fuzz.test_two_step_fuzz import ACCOUNT, TWO_STEP

    reached = {"auth.login", *TWO_STEP, *ACCOUNT}  # the two-step forms: test_two_step_fuzz.py
    for role in ROLES[1:]:
        login(role)
        reached |= set(with_scripted(crawl(client, app)))
        client.post("/logout")
    routes = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and not rule.endpoint.startswith("api.")
    }
    assert routes - reached == set()

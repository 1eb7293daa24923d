"""Which rows a user may see (outreach/tenancy.py): person-level rows of their own organisation
only, aggregates of their organisation and its active partners; the map, the report and the
API ask the same helper."""

from __future__ import annotations

from sqlalchemy import select

from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.maps.layers import viewer_orgs
from outreach.orgs.models import Partnership
from outreach.reports.scope import choices
from outreach.tenancy import aggregate_org_ids, partner_ids, partnerships, visible


def _pair(a, b, active=True):
    low, high = sorted((a.id, b.id))
    db.session.add(Partnership(org_a_id=low, org_b_id=high, active=active))


def _orgs(make):
    own, partner, former, stranger = make.org(), make.org(), make.org(), make.org()
    _pair(own, partner)
    _pair(own, former, active=False)
    make.commit()
    return own, partner, former, stranger


def test_aggregates_cover_own_and_active_partners_and_everyone_for_the_platform_admin(app, make):
    own, partner, former, stranger = _orgs(make)
    coordinator = make.user("coordinator", organisation=own)
    admin = make.user("platform_admin", organisation=stranger)
    make.commit()
    assert aggregate_org_ids(db.session, coordinator) == {own.id, partner.id}
    assert aggregate_org_ids(db.session, admin) is None  # every organisation
    assert partner_ids(db.session, partner.id) == {own.id}
    assert partnerships(db.session) == {own.id: {partner.id}, partner.id: {own.id}}


def test_the_map_and_the_report_offer_exactly_the_organisations_of_the_helper(app, make):
    own, partner, _former, _stranger = _orgs(make)
    for role in ("coordinator", "trainer", "stock_manager", "org_admin"):
        user = make.user(role, organisation=own)
        make.commit()
        allowed = aggregate_org_ids(db.session, user)
        assert {own.id, *viewer_orgs(user)[1]} == allowed
        assert {o.id for o in choices(user)[0]} == allowed


def test_person_level_rows_are_the_own_organisations_only_and_a_peers_own_only(app, make):
    own, partner, _former, _stranger = _orgs(make)
    peer, other_peer = make.user("peer", organisation=own), make.user("peer", organisation=own)
    coordinator = make.user("coordinator", organisation=own)
    partner_peer = make.user("peer", organisation=partner)
    mine = make.handout(giver=peer)
    theirs = make.handout(giver=other_peer)
    make.handout(giver=partner_peer)
    make.commit()

    def ids(user):
        return set(db.session.scalars(select(Handout.id).where(visible(Handout, user))))

    assert ids(peer) == {mine.id}
    assert ids(coordinator) == {mine.id, theirs.id}  # never the partner's, however allied


def test_the_api_lists_no_partners_person_level_rows(client, auth, make):
    own, partner, _former, _stranger = _orgs(make)
    coordinator = make.user("coordinator", organisation=own)
    make.handout(giver=make.user("peer", organisation=own))
    make.handout(giver=make.user("peer", organisation=partner))
    make.commit()
    auth.login(coordinator)
    items = client.get("/api/v1/handouts").get_json()["items"]
    assert len(items) == 1

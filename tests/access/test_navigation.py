"""The header's links follow the capabilities: every role is shown only pages it may open."""

from __future__ import annotations

import re

import pytest

from outreach.vocab import ROLES


@pytest.mark.parametrize("role", list(ROLES))
def test_every_link_in_the_main_navigation_opens_for_the_role_that_sees_it(
    client, auth, make, role
):
    org = make.org(tracks_stock=True)
    user = make.user(role=role, organisation=org)
    make.commit()
    auth.login(user)
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', page, re.S)
    assert nav, role
    links = re.findall(r'href="([^"]+)"', nav.group(1))
    assert links, role
    refused = {link: client.get(link).status_code for link in links}
    assert {link: s for link, s in refused.items() if s != 200} == {}, role

"""scripts/scan's log-in: BASE ROLE web|api -> the session cookie ("session=…") of the demo
user of ROLE, logged in through the login form with its CSRF token, or an API bearer token."""

from __future__ import annotations

import json
import re
import sys
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

from outreach.seed.places import DEMO_USERS, PASSWORDS

USERS = DEMO_USERS  # the Swansea demo user of each role


def web(base: str, role: str) -> str:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = {"csrf_token": token, "username": USERS[role], "password": PASSWORDS[role]}
    opener.open(base + "/login", urllib.parse.urlencode(form).encode(), timeout=10).read()
    session = next(c for c in jar if c.name == "session")
    return f"session={session.value}"


def api(base: str, role: str) -> str:
    body = json.dumps({"username": USERS[role], "password": PASSWORDS[role]}).encode()
    req = urllib.request.Request(  # noqa: S310 - only the loopback server (checked below)
        base + "/api/v1/tokens", body, {"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(req, timeout=10) as res:  # noqa: S310 - the loopback server
        return json.load(res)["token"]


if __name__ == "__main__":
    base, role, kind = sys.argv[1:4]
    if not base.startswith("http://127.0.0.1:"):
        sys.exit("scan_login only talks to a loopback server")
    print(web(base, role) if kind == "web" else api(base, role))

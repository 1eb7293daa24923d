"""Security headers: a CSP whose scripts need this request's nonce (no 'unsafe-inline' script),
no-store on everything but static files, and templates with no script the CSP would block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from outreach.headers import content_security_policy, tile_source
from outreach.maps.render import INLINE_SCRIPT
from tests.api.conftest import token_for

ROOT = Path(__file__).resolve().parents[1]
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
STYLE_TAG = re.compile(r"<style\b[^>]*>", re.IGNORECASE)
NONCE = re.compile(r"'nonce-([A-Za-z0-9_-]+)'")


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(d.strip().split(" ", 1) for d in policy.split(";"))


@pytest.fixture
def coordinator(auth, make):
    user = make.user("coordinator")
    make.commit()
    auth.login(user)
    return user


def test_the_policy_allows_scripts_only_from_the_app_or_with_the_nonce(client, coordinator):
    policy = directives(client.get("/handouts/new"))
    assert NONCE.fullmatch(policy["script-src"].split()[1])
    assert policy["script-src"].split()[0] == "'self'"
    assert "unsafe-inline" not in policy["script-src"]
    assert "unsafe-eval" not in policy["script-src"]
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"


def test_every_script_of_a_page_carries_this_requests_nonce_and_the_next_request_gets_another(
    client, coordinator
):
    seen = set()
    for path in ("/", "/handouts/new", "/map"):
        res = client.get(path)
        assert res.status_code == 200, path
        nonce = NONCE.search(directives(res)["script-src"]).group(1)
        tags = SCRIPT_TAG.findall(res.get_data(as_text=True))
        assert tags, path
        assert all(f'nonce="{nonce}"' in tag for tag in tags if "src=" not in tag), path
        assert all(f'nonce="{nonce}"' in tag for tag in tags if "/static/js/" in tag), path
        seen.add(nonce)
    assert len(seen) == 3


def test_the_map_page_runs_its_folium_script_under_the_nonce(client, coordinator):
    res = client.get("/map")
    nonce = NONCE.search(directives(res)["script-src"]).group(1)
    html = res.get_data(as_text=True)
    inline = [t for t in SCRIPT_TAG.findall(html) if "src=" not in t]
    assert inline == [f'<script nonce="{nonce}">']
    assert "L.map(" in html.split(inline[0], 1)[1]


def test_images_come_from_the_app_and_the_configured_tile_server_only(client, coordinator, app):
    policy = directives(client.get("/map"))
    assert policy["img-src"] == "'self' data: " + tile_source(app.config["MAP_TILES_URL"])
    assert tile_source("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == (
        "https://tile.openstreetmap.org"
    )


@pytest.mark.parametrize(
    ("url", "source"),
    [
        ("https://{s}.tile.example.org/{z}/{x}/{y}.png", "https://*.tile.example.org"),
        ("https://tiles-{s}.maps.example.net:8443/{z}/{x}/{y}", "https://*.maps.example.net:8443"),
        ("/tiles/{z}/{x}/{y}.png", None),
        ("", None),
        (None, None),
    ],
)
def test_a_tile_url_template_becomes_a_csp_source(url, source):
    assert tile_source(url) == source
    assert ("img-src 'self' data:" + (f" {source}" if source else "") + ";") in (
        content_security_policy("n", url)
    )


def test_only_style_attributes_may_be_inline_and_nothing_else_is_loosened(client, coordinator):
    res = client.get("/map")
    policy = directives(res)
    nonce = NONCE.search(policy["script-src"]).group(1)
    assert policy["style-src"] == f"'self' 'nonce-{nonce}'"
    assert policy["style-src-attr"] == "'unsafe-inline'"
    styles = STYLE_TAG.findall(res.get_data(as_text=True))
    assert styles == [f'<style nonce="{nonce}">']
    assert policy["connect-src"] == "'self'"
    assert "*" not in policy["default-src"] + policy["connect-src"] + policy["script-src"]


@pytest.mark.parametrize(
    "path", ["/", "/handouts/", "/handouts/new", "/map", "/reports/monthly", "/no-such-page"]
)
def test_pages_with_person_level_data_and_errors_are_never_stored(client, coordinator, path):
    assert client.get(path).headers["Cache-Control"] == "no-store"


def test_the_login_page_and_a_login_redirect_are_not_stored_either(client):
    assert client.get("/login").headers["Cache-Control"] == "no-store"
    assert client.get("/handouts/").headers["Cache-Control"] == "no-store"


def test_api_answers_are_never_stored(client, make):
    user = make.user("coordinator")
    make.commit()
    token = token_for(client, user)
    for path in ("/api/v1/handouts", "/api/v1/me", "/api/v1/openapi.json", "/api/v1/nothing"):
        res = client.get(path, headers={"Authorization": f"Bearer {token}"})
        assert res.headers["Cache-Control"] == "no-store", path
    assert client.get("/api/v1/handouts").headers["Cache-Control"] == "no-store"


def test_static_files_the_worker_and_the_manifest_may_be_cached(client):
    for path in ("/static/css/app.css", "/sw.js", "/manifest.webmanifest"):
        res = client.get(path)
        assert res.status_code == 200, path
        assert "no-store" not in res.headers.get("Cache-Control", ""), path
        res.close()
    assert client.get("/sw.js").headers["Cache-Control"] == "no-cache"


def test_the_hardening_headers_are_on_every_answer(client):
    res = client.get("/login")
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert res.headers["X-Frame-Options"] == "DENY"
    assert res.headers["Referrer-Policy"] == "same-origin"


def test_every_script_and_style_tag_in_the_templates_carries_the_nonce():
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in SCRIPT_TAG.findall(text) + STYLE_TAG.findall(text):
            assert 'nonce="{{ csp_nonce() }}"' in tag, f"{path}: {tag}"


INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
JS_HANDLER = re.compile(r"""setAttribute\(\s*["']on[a-z]+|\son[a-z]+\s*=\s*\\?["']""")


def test_no_template_or_script_writes_an_inline_event_handler_the_csp_would_block():
    for path in (ROOT / "templates").rglob("*.html"):
        assert not INLINE_HANDLER.search(path.read_text(encoding="utf-8")), path
    for path in (ROOT / "static" / "js").glob("*.js"):
        text = path.read_text(encoding="utf-8")
        assert not JS_HANDLER.search(text), path
        assert "javascript:" not in text, path


def test_a_folium_element_drawing_an_inline_script_into_the_map_is_refused():
    import folium
    from branca.element import Element

    from outreach.maps.render import page_parts

    m = folium.Map(tiles=None)
    m.get_root().html.add_child(Element("<script>alert(1)</script>"))
    with pytest.raises(ValueError, match="CSP"):
        page_parts(m)
    assert INLINE_SCRIPT.search('<script type="application/json">')
    assert not INLINE_SCRIPT.search('<script src="/static/x.js">')

"""Security headers on every answer: a Content-Security-Policy whose scripts need this request's
nonce, `Cache-Control: no-store` on everything but static files and the public list of sites,
and the browser hardening headers. Templates give each inline `<script>` the nonce with
`csp_nonce()`."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from flask import Flask, current_app, g, request

# Answers that carry no person-level data and may be kept by a browser: the app's own files,
# the service worker script and the web app manifest (both set their own `no-cache`).
CACHEABLE_ENDPOINTS = frozenset({"static", "offline.service_worker", "offline.manifest"})
# Pages anyone may read, which say themselves how long they may be kept: only an answer they
# mark `public` keeps its Cache-Control (outreach/public: the list of sites), anything else they
# answer (a redirect, a 429, an error) is no-store like every page.
SHARED_ENDPOINTS = frozenset({"public.index"})


def csp_nonce() -> str:
    """This request's script nonce (made on first use): 128 random bits, URL-safe."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(16)
    return g.csp_nonce


def tile_source(url: str | None) -> str | None:
    """The CSP source of a Leaflet tile URL template, e.g. "https://*.tile.example.org" for
    "https://{s}.tile.example.org/{z}/{x}/{y}.png"; None for no tiles or the app's own origin.
    A placeholder in the host name becomes CSP's wildcard, which may only lead the host."""
    if not url:
        return None
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return None
    labels = parts.netloc.split(".")
    templated = [i for i, label in enumerate(labels) if "{" in label]
    if templated:
        labels = ["*", *labels[templated[-1] + 1 :]]
    return f"{parts.scheme}://{'.'.join(labels)}"


def content_security_policy(nonce: str, tiles_url: str | None) -> str:
    """The policy: everything from the app's own origin; scripts and <style> elements only from
    it or carrying the nonce; images also from the map's tile server. Only `style` attributes
    stay inline-allowed (style-src-attr): the map page's legend swatches, Folium's pop-up tables
    and the map's legend control set them. A browser without style-src-attr (before 2022) falls
    back to style-src and drops those attributes: the legend loses its colours, nothing runs."""
    tiles = tile_source(tiles_url)
    directives = {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": f"'self' 'nonce-{nonce}'",
        "style-src-attr": "'unsafe-inline'",
        "img-src": "'self' data:" + (f" {tiles}" if tiles else ""),
        "font-src": "'self'",
        "connect-src": "'self'",
        "worker-src": "'self'",
        "manifest-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'none'",  # no page sets a <base>; ASVS 5.0 3.4.3 asks for 'none'
        "form-action": "'self'",
        "frame-ancestors": "'none'",  # nothing frames the app, itself included
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def init_headers(app: Flask) -> None:
    app.add_template_global(csp_nonce, "csp_nonce")

    @app.after_request
    def headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "geolocation=(self), camera=()")
        response.headers["Content-Security-Policy"] = content_security_policy(
            csp_nonce(), current_app.config.get("MAP_TILES_URL")
        )
        shared = request.endpoint in SHARED_ENDPOINTS and response.cache_control.public
        if request.endpoint not in CACHEABLE_ENDPOINTS and not shared:
            # Pages, API answers, exports and errors alike: no browser or proxy keeps a copy.
            # (The service worker's own page cache is the app's, cleared at logout: sw.js.)
            response.headers["Cache-Control"] = "no-store"
        return response

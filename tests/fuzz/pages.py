"""The app's own pages as a browser sees them: the POST forms on each page and the links to
follow, found by crawling from the home page (stdlib HTML parser, no browser)."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from werkzeug.exceptions import HTTPException

# Pages not to open while crawling: they end the session or change the language.
SKIP = ("/logout", "/language", "/naloxone/language")


@dataclass
class Field:
    name: str
    kind: str  # input type, "select" or "textarea"
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    page: str  # the path of the page that shows it
    action: str  # the path it posts to
    fields: dict[str, Field] = field(default_factory=dict)

    def defaults(self) -> dict[str, str]:
        """What the browser would send untouched (ticked boxes, first option, typed values)."""
        out = {}
        for f in self.fields.values():
            if f.kind in ("checkbox", "radio") and not f.value:
                continue
            out[f.name] = f.value or (f.options[0] if f.options else "")
        return out


class _Parser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page, self.forms, self.links = page, [], []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):  # noqa: C901 - one branch per tag
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form" and a.get("method", "get").lower() == "post":
            self._form = Form(self.page, urlsplit(urljoin(self.page, a.get("action", ""))).path)
            self.forms.append(self._form)
        elif self._form is None or not a.get("name") and tag != "option":
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            checked = kind not in ("checkbox", "radio") or "checked" in a
            value = a.get("value", "on" if kind == "checkbox" else "") if checked else ""
            old = self._form.fields.get(a["name"])
            if old and kind in ("checkbox", "radio"):
                old.options.append(a.get("value", "on"))
                old.value = old.value or value
            elif kind not in ("submit", "button", "image", "reset"):
                self._form.fields[a["name"]] = Field(a["name"], kind, value, [a.get("value", "on")])
        elif tag == "select":
            self._select = Field(a["name"], "select")
            self._form.fields[a["name"]] = self._select
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            self._form.fields[a["name"]] = self._textarea

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def parse(page: str, html: str) -> tuple[list[Form], list[str]]:
    parser = _Parser(page)
    parser.feed(html)
    return parser.forms, parser.links


def crawl(client, app, per_endpoint: int = 2) -> dict[str, list[Form]]:
    """Every POST form reachable from "/" by links, keyed by the endpoint it posts to; at most
    `per_endpoint` pages of each endpoint are opened (two handouts' edit pages, not all)."""
    adapter = app.url_map.bind("localhost")
    seen, opened, forms = set(), {}, {}
    queue = deque(["/"])
    while queue:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or url in seen or parts.path.startswith(SKIP):
            continue
        seen.add(url)
        endpoint = _endpoint(adapter, parts.path, "GET")
        if endpoint is None or opened.get(endpoint, 0) >= per_endpoint:
            continue
        opened[endpoint] = opened.get(endpoint, 0) + 1
        res = client.get(url)
        if res.status_code in (301, 302, 303) and res.location:
            queue.append(urljoin(url, res.location))
        if res.status_code != 200 or res.mimetype != "text/html":
            continue
        page_forms, links = parse(url, res.get_data(as_text=True))
        for form in page_forms:
            target = _endpoint(adapter, form.action, "POST")
            if target:
                forms.setdefault(target, []).append(form)
        queue.extend(link.split("#")[0] for link in links)
    return forms


def _endpoint(adapter, path: str, method: str) -> str | None:
    try:
        return adapter.match(path, method=method)[0]
    except HTTPException:
        return None

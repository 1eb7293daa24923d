"""The public page "Where to get naloxone" and the visitor's choice of language."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from outreach.geo import gazetteer
from outreach.public import bp, present
from outreach.public.forms import PLACE_MAX, SearchForm
from outreach.public.queries import listed_order, public_sites
from outreach.public.visitors import (
    languages,
    may_keep,
    never_keep,
    over_limit,
    remember_language,
    use_page_language,
)
from outreach.tenancy import Page

KEPT = ("q", "lat", "lon")  # what a change of language keeps of the search


@bp.before_request
def _visitor():
    """Every public request: its language, then the rate limit (429, translated, kept by no
    cache)."""
    use_page_language()
    wait = over_limit()
    if not wait:
        return None
    response = make_response(render_template("public/busy.html"), 429)
    response.headers["Retry-After"] = str(wait)
    return never_keep(response)


@dataclass
class Where:
    """The point the list is ordered from, how the page names it, or why there is none."""

    point: tuple[float, float] | None = None
    heading: str = ""
    name: str = ""  # the place itself, for its marker on the map
    problem: str = ""
    suggestions: list[gazetteer.Place] = field(default_factory=list)
    kept: dict[str, str] = field(default_factory=dict)  # the search, for links to keep it


def _where(form: SearchForm) -> Where:
    if "lat" in request.args or "lon" in request.args:
        point = form.position()
        if point is None:
            return Where(problem=_("We could not read that position. Type a town or place."))
        kept = {"lat": f"{point[0]:.2f}", "lon": f"{point[1]:.2f}"}
        return Where(point, _("Nearest to your position"), _("Your position"), kept=kept)
    place = form.place()
    if not place:
        return Where()
    countries = current_app.config["GEOCODER_COUNTRIES"]
    found = gazetteer.lookup(place, countries=countries)
    if found is None:
        words = place.split()
        suggestions = gazetteer.search(place, countries, limit=5) or (
            gazetteer.search(words[0], countries, limit=5) if len(words) > 1 else []
        )
        problem = _("We could not find “%(place)s”. Try the name of a town or city.", place=place)
        return Where(problem=problem, suggestions=suggestions, kept={"q": place})
    name = f"{found.name}, {found.region}" if found.region else found.name
    heading = _("Nearest to %(place)s", place=name)
    return Where((found.latitude, found.longitude), heading, name, kept={"q": place})


def _page(point: tuple[float, float] | None, number: int) -> Page:
    """One page of the listed sites, nearest first to `point` when there is one."""
    order = listed_order(point)
    size = int(current_app.config["PUBLIC_PAGE_SIZE"])
    page = Page(items=[], page=1, per_page=size, total=len(order))
    page.page = min(number, page.pages)
    page.items = public_sites(order[(page.page - 1) * size : page.page * size])
    return page


@bp.get("/")
def index():
    """The sites organisations chose to show: nearest first to a place or position."""
    form = SearchForm()
    where = _where(form)
    html = render_template(
        "public/index.html",
        form=form,
        where=where,
        page=_page(where.point, form.page_number()),
        present=present,
        tiles_url=current_app.config.get("MAP_TILES_URL") or "",
        tiles_attribution=current_app.config.get("MAP_TILES_ATTRIBUTION") or "",
    )
    return may_keep(make_response(html), by_url_only="lang" in request.args)


@bp.get("/language/<code>")
def language(code: str):
    """The visitor chooses a language: the one cookie the public pages set, then the page."""
    kept = {k: request.args[k][:PLACE_MAX] for k in KEPT if request.args.get(k)}
    if code not in languages():
        return redirect(url_for(".index", **kept))
    response = redirect(url_for(".index", lang=code, **kept))
    remember_language(response, code)
    return response

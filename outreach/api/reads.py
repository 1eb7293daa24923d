"""What the tablet and integrations read: me, products, sites, the bag, lists and the report."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Annotated, Any, Literal

from flask import g, request, url_for
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field
from sqlalchemy import func, or_, select

from outreach import disclosure
from outreach.access import can
from outreach.api import bp
from outreach.api.auth import api_login_required, api_user
from outreach.api.openapi import Answers, operation
from outreach.api.responses import (
    BagOut,
    ContactPage,
    HandoutPage,
    MeOut,
    MonthlyReportOut,
    OverdosePage,
    ProductOut,
    SiteOut,
    to_json,
)
from outreach.api.routes import user_json
from outreach.api.schemas import Id, Text
from outreach.api.util import ApiError, respond
from outreach.audit.services import record as audit
from outreach.contacts.models import OutreachContact
from outreach.extensions import db
from outreach.handouts.models import Handout
from outreach.orgs.models import Site
from outreach.overdoses.models import OverdoseReport
from outreach.products.models import Product
from outreach.stock.ledger import existing_bag
from outreach.stock.queries import holding_batches
from outreach.tenancy import live, scoped_select, visible
from outreach.timezones import local_today, zone


def _bool(value: Any) -> Any:
    return {"true": True, "1": True, "false": False, "0": False}.get(value, value)


MINE = "Only the caller's own records."
VOIDED = (
    "Also voided records (left out by default). A tablet syncing with updated_since sends it "
    "to learn which of its records were voided."
)


class ListQuery(BaseModel):
    """A list's page and filters."""

    model_config = ConfigDict(allow_inf_nan=False)
    page: Annotated[int, Field(ge=1, le=1_000_000, description="Page number.")] = 1
    per_page: Annotated[int, Field(ge=1, le=200, description="At most 200.")] = 50
    updated_since: AwareDatetime | None = Field(
        None, description="Only records changed after this moment (ISO 8601 with a time zone)."
    )
    mine: Annotated[bool, BeforeValidator(_bool), Field(description=MINE)] = False
    include_voided: Annotated[bool, BeforeValidator(_bool), Field(description=VOIDED)] = False


class ReportQuery(BaseModel):
    """Which month and whose figures."""

    month: Annotated[str, Field(pattern=r"^\d{4}-\d{2}$")] | None = Field(
        None, description="YYYY-MM."
    )
    org: Id | None = Field(None, description="Organisation.")
    site: Id | None = Field(None, description="Site.")
    area: Text(120) | None = Field(None, description="Area name.")
    scope: Literal["all"] | None = Field(
        None,
        description="all: everything the caller may see, partners' data only through the "
        "disclosure rule, as on the page.",
    )


def _list_answers(page: type[BaseModel]) -> Answers:
    return Answers({200: (page, "OK.")}, (401, 403, 422))


@bp.get("/me")
@api_login_required
@operation(Answers({200: (MeOut, "OK.")}, (401,)))
def me():
    """Who is calling"""
    user = api_user()
    body = user_json(user)
    body["auth"] = "session" if g.api_token is None else "token"
    body["csrf_token"] = generate_csrf() if g.api_token is None else None
    body["tracks_stock"] = bool(user.organisation.tracks_stock)
    return respond(body, headers={"Cache-Control": "no-store"})


@bp.get("/products")
@api_login_required
@operation(Answers({200: (list[ProductOut], "OK.")}, (401,)))
def products():
    """Active products"""
    rows = db.session.scalars(select(Product).where(Product.active).order_by(Product.name))
    return respond([ProductOut.model_validate(p, from_attributes=True).model_dump() for p in rows])


@bp.get("/sites")
@api_login_required
@operation(Answers({200: (list[SiteOut], "OK.")}, (401,)))
def sites():
    """The organisation's sites"""
    user = api_user()
    rows = db.session.scalars(
        select(Site).where(visible(Site, user), Site.active).order_by(Site.name)
    )
    return respond([SiteOut.model_validate(s, from_attributes=True).model_dump() for s in rows])


@bp.get("/bag")
@api_login_required
@operation(Answers({200: (BagOut, "OK.")}, (401,)))
def bag():
    """The caller's bag and its batches"""
    user = api_user()
    holding = existing_bag(user)
    batches = [
        {
            "batch_id": b.id,
            "product_id": b.product_id,
            "product_name": name,
            "batch_number": b.batch_number,
            "expiry_date": b.expiry_date,
            "quantity": qty,
        }
        for b, name, qty in (holding_batches(holding) if holding is not None else [])
    ]
    body = BagOut(
        holding_id=holding.id if holding else None,
        min_level=holding.min_level if holding else 0,
        total=sum(b["quantity"] for b in batches),
        batches=batches,
    )
    return respond(body.model_dump(mode="json"))


def _list(kind: str, model: Any, mine_clause):
    user = api_user()
    if not can(user, "record_field_work"):
        # As the list pages: a role that keeps no field records (the platform administrator)
        # reads none, not even an empty page of them.
        raise ApiError(403, "Forbidden", _("Your role may not do this."))
    args = request.context.query
    stmt = scoped_select(model, user)
    if not args.include_voided:
        stmt = stmt.where(live(model))
    if args.updated_since is not None:
        stmt = stmt.where(model.updated_at > args.updated_since)
    if args.mine:
        stmt = stmt.where(mine_clause(user))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(
        stmt.order_by(model.updated_at, model.id)
        .limit(args.per_page)
        .offset((args.page - 1) * args.per_page)
    )
    items = [to_json(kind, r) for r in rows]  # before the commit, which would expire each row
    audit("view", kind, None, user=user, detail=f"api list page {args.page}")
    db.session.commit()
    next_url = None
    if args.page * args.per_page < total:
        params = {k: v for k, v in request.args.items() if k in ListQuery.model_fields}
        next_url = url_for(request.endpoint, **{**params, "page": args.page + 1})
    return respond(
        {
            "items": items,
            "page": args.page,
            "per_page": args.per_page,
            "total": total,
            "next": next_url,
        }
    )


@bp.get("/handouts")
@api_login_required
@operation(_list_answers(HandoutPage), query=ListQuery)
def list_handouts():
    """Handouts"""
    return _list(
        "handout",
        Handout,
        lambda u: or_(Handout.recorded_by_id == u.id, Handout.giver_id == u.id),
    )


@bp.get("/contacts")
@api_login_required
@operation(_list_answers(ContactPage), query=ListQuery)
def list_contacts():
    """Contacts"""
    return _list("contact", OutreachContact, lambda u: OutreachContact.recorded_by_id == u.id)


@bp.get("/overdose-reports")
@api_login_required
@operation(_list_answers(OverdosePage), query=ListQuery)
def list_overdose_reports():
    """Overdose reports"""
    return _list("overdose_report", OverdoseReport, lambda u: OverdoseReport.recorded_by_id == u.id)


def plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def figures_json(report) -> dict:
    """A report's or a return's tiles and tables as the API answers them."""
    return {
        "tiles": [{"label": str(label), "value": plain(value)} for label, value in report.tiles],
        "tables": [
            {
                "key": t.key,
                "title": str(t.title),
                "columns": [str(c) for c in t.columns],
                "rows": [[plain(v) for v in row] for row in t.rows],
            }
            for t in report.tables
        ],
    }


def report_readers_only(view):
    """Before the query is read: a build without the report answers 501, a role that may not
    see reports 403."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        try:
            import outreach.reports.scope  # noqa: F401
        except ImportError:  # the report is not part of this build
            raise ApiError(
                501, "Not Implemented", _("The monthly report is not available.")
            ) from None
        if not can(api_user(), "read_reports"):
            raise ApiError(403, "Forbidden", _("Your role may not see reports."))
        return view(*args, **kwargs)

    return wrapped


@bp.get("/reports/monthly")
@api_login_required
@report_readers_only
@operation(Answers({200: (MonthlyReportOut, "OK.")}, (401, 403, 404, 422, 501)), query=ReportQuery)
def monthly_report():
    """The monthly supply report's figures"""
    from outreach.reports import figures
    from outreach.reports.scope import MonthError, month_bounds, resolve

    user = api_user()
    args = request.context.query
    try:
        start, end = month_bounds(args.month, local_today(zone(user.organisation.timezone)))
    except MonthError:
        raise ApiError(
            422,
            "Unprocessable Content",
            _("The month must be a calendar month written as YYYY-MM, e.g. 2026-10."),
            [{"field": "month", "reason": _("Write the month as YYYY-MM.")}],
        ) from None
    params = {k: str(v) for k, v in args.model_dump().items() if v is not None and k != "month"}
    scope = resolve(user, params)
    report = figures.build(scope, start, end)
    body = MonthlyReportOut(
        month=report.month,
        scope={"kind": scope.kind, "key": scope.key, "label": str(scope.label)},
        **figures_json(report),
        balanced=bool(report.balanced),
        suppressed_below=report.suppressed_below,
        disclosure_note=disclosure.note() if report.suppressed_below else None,
        time_zone=report.zone,
    )
    return respond(body.model_dump(mode="json"))

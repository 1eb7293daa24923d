"""GET /api/v1/reports/returns: a national programme's return, as on its page."""

from __future__ import annotations

from typing import Literal

from flask import request
from pydantic import BaseModel, ConfigDict, Field

from outreach.api import bp
from outreach.api.auth import api_login_required, api_user
from outreach.api.openapi import Answers, operation
from outreach.api.reads import figures_json, report_readers_only
from outreach.api.responses import ReturnOut
from outreach.api.schemas import Text
from outreach.api.util import ApiError, respond
from outreach.timezones import local_today, zone


class ReturnQuery(BaseModel):
    """Which return, over which area, level and period (defaults: the return's own)."""

    model_config = ConfigDict(populate_by_name=True)
    return_: Literal["wales", "scotland", "sweden"] | None = Field(
        None, alias="return", description="wales (default), scotland or sweden."
    )
    area: Text(24) | None = Field(None, description="The area's code, e.g. W92000004, SE-14.")
    level: Literal["country", "board", "partnership", "local_authority"] | None = None
    period: Text(20) | None = Field(
        None,
        description="2026-10, 2026-Q3, FY2025 (April 2025 to March 2026), 2025, "
        "or 2025-04..2026-03.",
    )


@bp.get("/reports/returns")
@api_login_required
@report_readers_only
@operation(Answers({200: (ReturnOut, "OK.")}, (401, 403, 422, 501)), query=ReturnQuery)
def programme_return():
    """A national programme's return"""
    from outreach.reports import returns

    user = api_user()
    args = request.context.query.model_dump(by_alias=True, exclude_none=True)
    try:
        ask = returns.asked(args, local_today(zone(user.organisation.timezone)))
    except returns.ReturnArgsError as exc:
        raise ApiError(
            422, "Unprocessable Content", exc.reason, [{"field": exc.field, "reason": exc.reason}]
        ) from None
    result = returns.build(user, ask.shape, ask.root, ask.level, ask.period)
    body = ReturnOut(
        shape=ask.shape,
        title=str(result.title),
        area={"code": ask.root.code, "level": ask.root.level, "name": ask.root.name},
        level=ask.level,
        period={
            "key": ask.period.key,
            "label": ask.period.label,
            "start": ask.period.start.date().isoformat(),
            "end": ask.period.end.date().isoformat(),
        },
        header=[[str(k), str(v)] for k, v in returns.header_lines(result)],
        **figures_json(result),
        suppressed_below=result.suppressed_below,
        time_zone=result.zone,
    )
    return respond(body.model_dump(mode="json"))

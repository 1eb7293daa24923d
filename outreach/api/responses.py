"""Pydantic models of what the API answers, and turning rows into them."""

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field


class Problem(BaseModel):
    """An error (RFC 9457), with the fields at fault."""

    type: str
    title: str
    status: int
    detail: str
    fields: list["FieldError"] = []


class FieldError(BaseModel):
    field: str
    reason: str


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    org_id: int
    organisation: str
    locale: str | None


class TokenOut(BaseModel):
    token: str
    expires_at: datetime
    user: UserOut


class MeOut(UserOut):
    auth: Literal["token", "session"]
    csrf_token: str | None = Field(None, description="For cookie sessions: send as X-CSRFToken.")
    tracks_stock: bool


class RecordOut(BaseModel):
    id: int
    client_id: str
    org_id: int
    recorded_by_id: int
    occurred_at: datetime
    created_at: datetime
    updated_at: datetime
    latitude: float
    longitude: float
    location_source: str
    site_id: int | None
    place_name: str | None
    voided_at: datetime | None = Field(
        None, description="Set when voided: the record no longer counts anywhere."
    )
    voided_by_id: int | None = None
    void_reason: str | None = None


class HandoutOut(RecordOut):
    kind: Literal["single", "tally"]
    giver_id: int
    product_id: int
    batch_id: int | None
    batch_label: str | None
    quantity: int
    setting: str
    recipient_type: str | None
    supply: str | None
    repeat_reason: str | None
    previous_source: str | None
    training_given: bool
    people_count: int | None
    people_trained: int | None
    has_client_code: bool
    age_band: str | None
    sex: str | None
    replaced_by_id: int | None = Field(
        None, description="A correction of its stock replaced it with this handout."
    )


class ContactOut(RecordOut):
    setting: str
    people_count: int
    services: list[str]
    referrals: list[str]
    notes: str | None
    has_client_code: bool


class OverdoseOut(RecordOut):
    administered_by: str
    doses: int | None
    route: str | None
    emergency_called: bool | None
    someone_stayed: bool | None
    taken_to_hospital: bool | None
    referred: bool | None
    place_type: str | None
    outcome: str
    product_id: int | None
    has_client_code: bool
    age_band: str | None
    sex: str | None


class AttendeeOut(BaseModel):
    user_id: int | None
    passed: bool
    valid_until: date | None
    has_client_code: bool


class TrainingOut(BaseModel):
    id: int
    client_id: str
    org_id: int
    recorded_by_id: int
    trainer_id: int
    held_on: date
    place: str
    kind: str
    topics: list[str]
    community_count: int
    valid_months: int
    notes: str | None
    attendees: list[AttendeeOut]
    created_at: datetime
    updated_at: datetime


OUT = {
    "handout": HandoutOut,
    "tally": HandoutOut,
    "contact": ContactOut,
    "overdose_report": OverdoseOut,
    "training_attendance": TrainingOut,
}


def _plain(model: type[BaseModel], row: Any, **extra: Any) -> dict:
    values = {name: getattr(row, name, None) for name in model.model_fields if name not in extra}
    return model.model_validate({**values, **extra}).model_dump(mode="json")


def to_json(kind: str, row: Any) -> dict:
    """The JSON of a stored record of `kind` (client codes are never returned, only whether
    there is one)."""
    if kind == "contact":
        return _plain(
            ContactOut,
            row,
            services=row.service_codes,
            referrals=row.referral_codes,
            has_client_code=row.client_hash is not None,
        )
    if kind == "training_attendance":
        attendees = [
            {
                "user_id": a.user_id,
                "passed": a.passed,
                "valid_until": a.valid_until,
                "has_client_code": a.client_hash is not None,
            }
            for a in row.attendees
        ]
        return _plain(TrainingOut, row, topics=row.topic_codes, attendees=attendees)
    return _plain(OUT[kind], row, has_client_code=row.client_hash is not None)


class ProductOut(BaseModel):
    id: int
    name: str
    strength: str
    route: str
    doses_per_kit: int


class SiteOut(BaseModel):
    id: int
    name: str
    area: str
    latitude: float
    longitude: float


class BatchOut(BaseModel):
    batch_id: int
    product_id: int
    product_name: str
    batch_number: str
    expiry_date: date
    quantity: int


class BagOut(BaseModel):
    holding_id: int | None
    min_level: int
    total: int
    batches: list[BatchOut]


class SyncResult(BaseModel):
    client_id: str | None
    kind: str | None
    status: Literal["stored", "already_stored", "refused"]
    http_status: Literal[200, 201, 403, 409, 422]
    id: int | None
    errors: list[FieldError]


class SyncOut(BaseModel):
    results: list[SyncResult]


def page_model(name: str, item: type[BaseModel]) -> type[BaseModel]:
    from pydantic import create_model

    return create_model(
        name,
        __module__=__name__,
        items=(list[item], ...),
        page=(int, ...),
        per_page=(int, ...),
        total=(int, ...),
        next=(str | None, Field(None, description="The URL of the next page, if any.")),
    )


HandoutPage = page_model("HandoutPage", HandoutOut)
ContactPage = page_model("ContactPage", ContactOut)
OverdosePage = page_model("OverdosePage", OverdoseOut)


class ReportTable(BaseModel):
    key: str
    title: str
    columns: list[str]
    rows: list[list[str | int | float | None]]


class MonthlyReportOut(BaseModel):
    month: str
    scope: dict[str, Any]
    tiles: list[dict[str, Any]]
    tables: list[ReportTable]
    balanced: bool
    suppressed_below: int | None = Field(
        description="Set when the figures include partner organisations' data: the threshold "
        "under which a partner count is left out (outreach.disclosure)."
    )
    disclosure_note: str | None = Field(
        None,
        description="How figures including partners' data are shown, in the reader's language.",
    )
    time_zone: str


class ReturnOut(BaseModel):
    """A national programme's return, as on its page (outreach/reports/returns.py)."""

    shape: str = Field(description="wales, scotland or sweden.")
    title: str
    area: dict[str, Any] = Field(description="The area covered: code, level and name.")
    level: str = Field(description="The level the return is broken down by.")
    period: dict[str, Any] = Field(
        description="key (as asked), label, start and end (local dates; end exclusive)."
    )
    header: list[list[str]] = Field(
        description="What every copy says of itself: period, area, zone, partner-data note."
    )
    tiles: list[dict[str, Any]]
    tables: list[ReportTable]
    suppressed_below: int | None
    time_zone: str


Problem.model_rebuild()

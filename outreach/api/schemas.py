"""Pydantic models of the API: they validate requests and generate the OpenAPI document."""

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    create_model,
)
from pydantic.fields import FieldInfo

from outreach.api.examples import EXAMPLE_CLIENT_ID, EXAMPLES, PATCH_EXAMPLES
from outreach.contacts.services import MAX_PEOPLE, NOTES_MAX
from outreach.corrections.records import REASON_MAX
from outreach.handouts.services import MAX_KITS, MAX_TALLY_PEOPLE
from outreach.limits import MAX_DB_INT
from outreach.overdoses.services import MAX_DOSES
from outreach.trainings.services import MAX_COMMUNITY
from outreach.vocab import (
    ADMINISTERED_BY,
    AGE_BANDS,
    OUTCOMES,
    PLACE_TYPES,
    PREVIOUS_SOURCES,
    RECIPIENT_TYPES,
    REFERRALS,
    REPEAT_REASONS,
    ROUTES,
    SERVICES,
    SETTINGS,
    SEX,
    TRAINING_KINDS,
    TRAINING_TOPICS,
)


def _clean(value: str) -> str:
    """Refuse what no database column should hold: NUL and lone surrogates."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("must be valid Unicode text") from None
    return value


def Text(max_length: int):  # noqa: N802 - reads as a type
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_clean)]


def codes(mapping: dict) -> Any:
    return Literal[tuple(mapping)]


Setting = codes(SETTINGS)
Id = Annotated[int, Field(ge=1, le=MAX_DB_INT)]
ClientId = Annotated[str, Field(pattern=r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")]
Digest = Annotated[
    str,
    Field(
        pattern=r"^[0-9a-f]{64}$",
        description="SHA-256 hex digest of 'II|YYYY-MM-DD|S' made on the tablet.",
    ),
]
# The person's, for the national figures (outreach/demographics.py): the band the tablet works
# out from the birth date it asks for the client code, which is never sent.
AgeBand = Annotated[
    codes(AGE_BANDS) | None,
    Field(description="The person's age band on the local day it happened; never a birth date."),
]
Sex = codes(SEX) | None
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
# The most records one sync request may carry (413 over it).
MAX_BATCH = 500
CONFIG = ConfigDict(extra="forbid", allow_inf_nan=False, str_strip_whitespace=True)


class Where(BaseModel):
    """Where it happened: a GPS point, else one of the organisation's sites, else a place name."""

    model_config = CONFIG
    occurred_at: AwareDatetime | None = Field(None, description="ISO 8601 with a time zone.")
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    site_id: Id | None = None
    place_name: Text(120) | None = None


class HandoutData(Where):
    product_id: Id
    quantity: Annotated[int, Field(ge=1, le=MAX_KITS)] = 1
    supply: Literal["first", "repeat"]
    setting: Setting = "street"
    recipient_type: codes(RECIPIENT_TYPES) | None = None
    repeat_reason: codes(REPEAT_REASONS) | None = None
    previous_source: codes(PREVIOUS_SOURCES) | None = None
    training_given: bool = False
    giver_id: Id | None = Field(None, description="Default: the user sending it.")
    batch_id: Id | None = None
    batch_label: Text(40) | None = None
    client_code_digest: Digest | None = None
    age_band: AgeBand = None
    sex: Sex = None


class TallyData(Where):
    product_id: Id
    quantity: Annotated[int, Field(ge=1, le=MAX_KITS)]
    people_count: Annotated[int, Field(ge=1, le=MAX_TALLY_PEOPLE)] | None = None
    people_trained: Annotated[int, Field(ge=0, le=MAX_TALLY_PEOPLE)] | None = None
    setting: Setting = "event"
    training_given: bool = False
    giver_id: Id | None = Field(None, description="Default: the user sending it.")
    batch_id: Id | None = None
    batch_label: Text(40) | None = None


class ContactData(Where):
    setting: Setting = "street"
    people_count: Annotated[int, Field(ge=1, le=MAX_PEOPLE)] = 1
    services: Annotated[list[codes(SERVICES)], Field(max_length=20)] = []
    referrals: Annotated[list[codes(REFERRALS)], Field(max_length=20)] = []
    notes: Text(NOTES_MAX) | None = None
    client_code_digest: Digest | None = None


class OverdoseData(Where):
    administered_by: codes(ADMINISTERED_BY)
    outcome: codes(OUTCOMES) = "unknown"
    doses: Annotated[int, Field(ge=0, le=MAX_DOSES)] | None = None
    route: codes(ROUTES) | None = None
    emergency_called: bool | None = None
    someone_stayed: bool | None = None
    taken_to_hospital: bool | None = None
    referred: bool | None = Field(None, description="Referred to a service afterwards.")
    place_type: codes(PLACE_TYPES) | None = None
    product_id: Id | None = None
    client_code_digest: Digest | None = None
    age_band: AgeBand = None
    sex: Sex = None


class TrainingData(BaseModel):
    """A training session and who attended it; every listed peer passed."""

    model_config = CONFIG
    held_on: date
    place: Text(120) = Field(min_length=1)
    kind: codes(TRAINING_KINDS)
    topics: Annotated[list[codes(TRAINING_TOPICS)], Field(max_length=20)] = []
    trainer_id: Id | None = Field(None, description="Default: the user sending it.")
    attendee_ids: Annotated[list[Id], Field(max_length=200)] = []
    attendee_code_digests: Annotated[list[Digest], Field(max_length=200)] = []
    community_count: Annotated[int, Field(ge=0, le=MAX_COMMUNITY)] = 0
    notes: Text(2000) | None = None


DATA = {
    "handout": HandoutData,
    "tally": TallyData,
    "contact": ContactData,
    "overdose_report": OverdoseData,
    "training_attendance": TrainingData,
}


def _example(body: dict) -> ConfigDict:
    """A model's example: the document shows it with the request body."""
    return ConfigDict(json_schema_extra={"examples": [body]})


def with_client_id(kind: str) -> type[BaseModel]:
    """The create body of `kind`: its data plus the device-made client_id."""
    base = DATA[kind]
    return create_model(
        base.__name__.replace("Data", "Create"),
        __base__=base,
        __config__=_example({"client_id": EXAMPLE_CLIENT_ID, **EXAMPLES[kind]}),
        __module__=__name__,
        client_id=(ClientId, Field(description="A UUID made on the device.")),
    )


CREATE = {kind: with_client_id(kind) for kind in DATA}


def patch_model(kind: str) -> type[BaseModel]:
    """A correction's body: any fields of `kind`'s data, each checked as when it was made. The
    record's values fill in what is left out, and the whole is checked again by DATA[kind]."""
    base = DATA[kind]
    fields = {
        name: (info.annotation | None, FieldInfo.merge_field_infos(info, default=None))
        for name, info in base.model_fields.items()
    }
    return create_model(
        base.__name__.replace("Data", "Patch"),
        __config__=ConfigDict(**CONFIG, **_example(PATCH_EXAMPLES[kind])),
        __module__=__name__,
        **fields,
    )


# The records that can be corrected and voided (a training session is not a field record).
CORRECTABLE = ("handout", "tally", "contact", "overdose_report")
PATCH = {kind: patch_model(kind) for kind in CORRECTABLE}


class VoidRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={"examples": [{"reason": "Recorded twice"}]},
    )
    reason: Text(REASON_MAX) = Field(
        min_length=1, description="Why; never a name or other identifier."
    )


class SyncRecord(BaseModel):
    model_config = CONFIG
    kind: Literal["handout", "tally", "contact", "overdose_report", "training_attendance"]
    client_id: ClientId
    data: dict[str, Any] = Field(description="The create body of that kind, without client_id.")


class SyncBatch(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "records": [
                        {"kind": k, "client_id": EXAMPLE_CLIENT_ID[:-1] + str(i), "data": v}
                        for i, (k, v) in enumerate(EXAMPLES.items())
                    ]
                }
            ]
        },
    )
    records: Annotated[list[SyncRecord], Field(max_length=MAX_BATCH)]


class TokenRequest(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [{"username": "peer1", "password": "a long passphrase"}]},
    )
    username: Text(64) = Field(min_length=1)
    password: Text(1024) = Field(min_length=1)
    # Needed once the user has two-step verification: the authenticator app's code, or a
    # recovery code.
    otp: Text(64) | None = None

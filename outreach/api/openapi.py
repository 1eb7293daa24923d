"""The OpenAPI 3.1 document, built from the same pydantic models that validate requests."""

from __future__ import annotations

from typing import Any

from flask import current_app
from pydantic import BaseModel

from outreach.api import bp
from outreach.api import responses as r
from outreach.api.corrections import correction_paths
from outreach.api.routes import PATHS
from outreach.api.schemas import (
    CORRECTABLE,
    CREATE,
    EXAMPLE_CLIENT_ID,
    EXAMPLES,
    SyncBatch,
    TokenRequest,
)
from outreach.api.util import respond
from outreach.limits import MAX_DB_INT

REF = "#/components/schemas/{model}"
PROBLEM = "application/problem+json"
TITLES = {
    "handout": "Record a naloxone supply to one recipient",
    "tally": "Record an anonymous tally of kits handed out",
    "contact": "Record an outreach contact",
    "overdose_report": "Record an overdose where naloxone was used",
    "training_attendance": "Record a training session and its attendees",
}
ERRORS = {
    400: "Malformed request (e.g. not JSON), or a missing CSRF token on a cookie session.",
    401: "No valid bearer token or session.",
    403: "Your role or organisation may not do this (a correction or void: only the person "
    "who recorded it, within the organisation's correction period, or a coordinator or "
    "administrator).",
    404: "Not found, or not yours to see.",
    409: "This client_id was already used for different content (a correction: the record "
    "is voided).",
    413: "Too many records in one batch.",
    415: "The body is not application/json.",
    422: "Fields missing or not valid; `fields` lists each one and why.",
    429: "Too many failed logins; see Retry-After.",
    501: "Not available in this build.",
    503: "The database was busy (lock timeout or deadlock): nothing was stored; send again.",
}


class Builder:
    def __init__(self) -> None:
        self.schemas: dict[str, Any] = {}

    def ref(self, model: type[BaseModel], mode: str = "serialization") -> dict:
        schema = model.model_json_schema(ref_template=REF, mode=mode)
        self.schemas.update(schema.pop("$defs", {}))
        self.schemas[model.__name__] = schema
        return {"$ref": REF.format(model=model.__name__)}

    def body(self, model: type[BaseModel], example: Any) -> dict:
        media = {"schema": self.ref(model, "validation"), "example": example}
        return {"required": True, "content": {"application/json": media}}

    def ok(self, description: str, schema: dict, headers: dict | None = None) -> dict:
        out = {"description": description, "content": {"application/json": {"schema": schema}}}
        if headers:
            out["headers"] = headers
        return out

    def errors(self, *codes: int) -> dict:
        problem = {PROBLEM: {"schema": self.ref(r.Problem)}}
        out = {str(c): {"description": ERRORS[c], "content": problem} for c in codes}
        for code in ("429", "503"):
            if code in out:
                out[code]["headers"] = {"Retry-After": {"schema": {"type": "string"}}}
        return out


def _param(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


LIST_PARAMS = [
    _param("page", {"type": "integer", "minimum": 1, "maximum": 1_000_000}, "Page number."),
    _param("per_page", {"type": "integer", "minimum": 1, "maximum": 200}, "At most 200."),
    _param(
        "updated_since",
        {"type": "string", "format": "date-time"},
        "Only records changed after this moment (ISO 8601 with a time zone).",
    ),
    _param("mine", {"type": "boolean"}, "Only the caller's own records."),
    _param(
        "include_voided",
        {"type": "boolean"},
        "Also voided records (left out by default). A tablet syncing with updated_since sends "
        "it to learn which of its records were voided.",
    ),
]
REPORT_PARAMS = [
    _param("month", {"type": "string", "pattern": r"^\d{4}-\d{2}$"}, "YYYY-MM."),
    _param("org", {"type": "integer", "minimum": 1, "maximum": MAX_DB_INT}, "Organisation."),
    _param("site", {"type": "integer", "minimum": 1, "maximum": MAX_DB_INT}, "Site."),
    _param("area", {"type": "string", "maxLength": 120}, "Area name."),
    _param(
        "scope",
        {"type": "string", "enum": ["all"]},
        "all: everything the caller may see, partners' figures suppressed as on the page.",
    ),
]


def build_document() -> dict:
    b = Builder()
    paths: dict[str, Any] = {}
    replay = {"Idempotent-Replay": {"schema": {"type": "string", "enum": ["true"]}}}
    for kind, path in PATHS.items():
        out = b.ref(r.OUT[kind])
        paths[path] = {
            "post": {
                "operationId": f"create_{kind}",
                "summary": TITLES[kind],
                "requestBody": b.body(
                    CREATE[kind], {"client_id": EXAMPLE_CLIENT_ID, **EXAMPLES[kind]}
                ),
                "responses": {
                    "201": b.ok("Stored.", out),
                    "200": b.ok(
                        "Already stored with the same content: nothing changed.", out, replay
                    ),
                    **b.errors(400, 401, 403, 409, 415, 422, 503),
                },
            }
        }
    for kind in CORRECTABLE:
        paths.update(correction_paths(b, kind, TITLES[kind]))
    sync_example = SyncBatch.model_config["json_schema_extra"]["examples"][0]
    paths["/sync"] = {
        "post": {
            "operationId": "sync",
            "summary": "Store up to 500 records of mixed kinds, each answered on its own",
            "requestBody": b.body(SyncBatch, sync_example),
            "responses": {
                "200": b.ok("One result per record, in order.", b.ref(r.SyncOut)),
                **b.errors(400, 401, 413, 415, 422, 503),
            },
        }
    }
    token_example = TokenRequest.model_config["json_schema_extra"]["examples"][0]
    paths["/tokens"] = {
        "post": {
            "operationId": "create_token",
            "summary": "Exchange a username and password for a bearer token",
            "security": [],
            "requestBody": b.body(TokenRequest, token_example),
            "responses": {
                "201": b.ok("A new token.", b.ref(r.TokenOut)),
                **b.errors(400, 401, 415, 422, 429),
            },
        }
    }
    paths["/tokens/current"] = {
        "delete": {
            "operationId": "revoke_token",
            "summary": "Revoke the bearer token of this request",
            "responses": {"204": {"description": "Revoked."}, **b.errors(400, 401)},
        }
    }
    reads = [
        ("/me", "me", "Who is calling", b.ref(r.MeOut), []),
        ("/products", "products", "Active products", _array(b.ref(r.ProductOut)), []),
        ("/sites", "sites", "The organisation's sites", _array(b.ref(r.SiteOut)), []),
        ("/bag", "bag", "The caller's bag and its batches", b.ref(r.BagOut), []),
        ("/handouts", "list_handouts", "Handouts", b.ref(r.HandoutPage), LIST_PARAMS),
        ("/contacts", "list_contacts", "Contacts", b.ref(r.ContactPage), LIST_PARAMS),
        (
            "/overdose-reports",
            "list_overdose_reports",
            "Overdose reports",
            b.ref(r.OverdosePage),
            LIST_PARAMS,
        ),
        (
            "/reports/monthly",
            "monthly_report",
            "The monthly supply report's figures",
            b.ref(r.MonthlyReportOut),
            REPORT_PARAMS,
        ),
    ]
    for path, op, summary, schema, params in reads:
        codes = (401, 422) if params else (401,)
        if op == "monthly_report":
            codes = (401, 403, 404, 422, 501)
        paths.setdefault(path, {})["get"] = {
            "operationId": op,
            "summary": summary,
            "parameters": params,
            "responses": {"200": b.ok("OK.", schema), **b.errors(*codes)},
        }
    paths["/openapi.json"] = {
        "get": {
            "operationId": "openapi",
            "summary": "This document",
            "security": [],
            "responses": {"200": b.ok("OpenAPI 3.1.", {"type": "object"})},
        }
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Outreach API",
            "version": "1",
            "description": "Records typed on tablets, stored exactly once (client_id), and reads.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}, {"session": []}],
        "paths": paths,
        "components": {
            "schemas": b.schemas,
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "session",
                    "description": "The browser session; writes need the X-CSRFToken header.",
                },
            },
        },
    }


def _array(item: dict) -> dict:
    return {"type": "array", "items": item}


@bp.get("/openapi.json")
def openapi_json():
    ext = current_app.extensions
    if "outreach_openapi" not in ext:
        ext["outreach_openapi"] = build_document()
    return respond(ext["outreach_openapi"])

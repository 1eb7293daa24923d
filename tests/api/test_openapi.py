"""The OpenAPI document: valid, complete, with working examples (tests/api/test_schemathesis.py
fuzzes it)."""

from __future__ import annotations

import json
import re

from outreach.api.routes import PATHS
from outreach.api.schemas import CORRECTABLE, CREATE, PATCH, SyncBatch, TokenRequest, VoidRequest

BODY_MODELS = {
    "/tokens": TokenRequest,
    "/sync": SyncBatch,
    "/handouts": CREATE["handout"],
    "/tallies": CREATE["tally"],
    "/contacts": CREATE["contact"],
    "/overdose-reports": CREATE["overdose_report"],
    "/training-attendances": CREATE["training_attendance"],
    **{PATHS[kind] + "/{id}": PATCH[kind] for kind in CORRECTABLE},
    **{PATHS[kind] + "/{id}/void": VoidRequest for kind in CORRECTABLE},
}


def test_document_is_valid_openapi_31(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    try:
        from openapi_spec_validator import validate
    except ImportError:  # structural checks only
        assert doc["info"]["title"] and doc["paths"]
        refs = json.dumps(doc).split('"$ref": "#/components/schemas/')[1:]
        assert all(r.split('"')[0] in doc["components"]["schemas"] for r in refs)
        return
    validate(doc)


def test_every_request_body_has_an_example_that_validates(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    bodies = {
        path: op["requestBody"]
        for path, ops in doc["paths"].items()
        for op in ops.values()
        if "requestBody" in op
    }
    assert set(bodies) == set(BODY_MODELS)
    for path, body in bodies.items():
        example = body["content"]["application/json"]["example"]
        BODY_MODELS[path].model_validate(example)


def test_every_error_response_is_problem_json(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    for ops in doc["paths"].values():
        for op in ops.values():
            for code, response in op["responses"].items():
                if int(code) >= 400:
                    assert list(response["content"]) == ["application/problem+json"]


def test_every_route_of_the_api_is_in_the_document(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    documented = {(path, method) for path, ops in doc["paths"].items() for method in ops}
    routes = {
        (re.sub(r"<(?:\w+(?:\([^)]*\))?:)?(\w+)>", r"{\1}", rule.rule).removeprefix("/api/v1"), m)
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("api.")
        for m in {m.lower() for m in rule.methods} - {"head", "options"}
    }
    assert routes == documented

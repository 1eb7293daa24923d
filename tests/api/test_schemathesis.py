"""schemathesis against /api/v1/openapi.json, through the WSGI app, as a coordinator and as a
peer: valid and invalid requests to every operation get no 5xx, a documented status code, the
documented content type and a body that conforms to the schema."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode

from outreach.extensions import db
from tests.api.conftest import token_for

CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
]
# Valid requests, then requests that break the schema (the API must refuse them, not fail).
EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 5}


def fuzz_operation(operation, headers: dict, checks: list, mode: GenerationMode) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        if mode is GenerationMode.NEGATIVE:
            # An invalid request may be refused with a 4xx the framework returns before the
            # operation (405, 415), not in the document: only "no 5xx" is asked of it.
            res = case.call(headers=headers)
            assert res.status_code < 500, (case.method, case.formatted_path, res.text[:300])
            return
        case.call_and_validate(headers=headers, checks=checks)

    run()


@pytest.mark.parametrize("role", ["coordinator", "peer"])
def test_fuzzing_the_api_finds_no_500_and_no_answer_outside_the_schema(app, client, world, role):
    token = token_for(client, getattr(world, role))
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    api_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    checks = [getattr(schemathesis.checks, name) for name in CHECKS]
    tested = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if operation.path == "/tokens/current":
            continue  # revoking would end the token the other operations use
        for mode in EXAMPLES:
            fuzz_operation(operation, headers, checks, mode)
        tested.append(f"{operation.method.upper()} {operation.path}")
    assert len(tested) >= 15

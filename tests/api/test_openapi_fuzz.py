"""Property-based run of the OpenAPI description (schemathesis): generated requests to every
operation, in-process against the WSGI application and the test database, as several roles.

Requests that fit the description must get an answer it documents, in the shape it documents;
requests that do not fit it (negative data) must be refused without a server error.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from amparo.api.services import api_token_create
from amparo.cases.placement import case_publish
from tests.factories import MentoringRequestFactory

PERSONAS = ["attorney", "partner", "coordinator", "mentor"]
CHECKS = {
    GenerationMode.POSITIVE: [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ],
    # Invalid paths can miss the API's routes altogether (Django's own 404 page): no server
    # error is the property there.
    GenerationMode.NEGATIVE: [not_a_server_error],
}
MAX_EXAMPLES = 15  # per operation, role and mode: about 20 s in all


@pytest.fixture
def api_schema(personas: Any, settings: Any) -> Any:
    settings.AMPARO_API_RATE = "100000/min"  # the fuzzer is one very busy client
    case_publish(case=personas.ready_case, actor=None)  # something on the board
    # As Django's test client does: the requests run inside the test's transaction, so the
    # handler must not close the connection when a request ends.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _known_path_parameters(operation: Any, personas: Any, request_id: int) -> dict[str, Any]:
    """Real ids for the path, so that generated bodies and queries reach the code behind the
    404 (the generated ids are almost never those of a case)."""
    if "{code}" in operation.path:
        case = personas.ready_case if operation.method == "post" else personas.placed_case
        return {"code": case.code}
    if "{request_id}" in operation.path:
        return {"request_id": request_id}
    return {}


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("persona", PERSONAS)
def test_api_answers_generated_requests_as_documented(
    api_schema: Any, personas: Any, persona: str, mode: GenerationMode
) -> None:
    _token, secret = api_token_create(user=getattr(personas, persona), name="fuzz")
    headers = {"Authorization": f"Bearer {secret}"}
    mentoring_request = MentoringRequestFactory(
        case=personas.placed_case, attorney=personas.attorney
    )
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 9
    runs = [(operation, {}) for operation in operations]
    if mode == GenerationMode.POSITIVE:
        for operation in operations:
            known = _known_path_parameters(operation, personas, mentoring_request.pk)
            if known:
                runs.append((operation, known))

    for operation, path_parameters in runs:

        @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
        @settings(
            max_examples=MAX_EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS[mode])

        check()

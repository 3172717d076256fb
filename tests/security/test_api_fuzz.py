"""Schemathesis fuzzes the JSON API in-process from its own OpenAPI schema (/api/v1/openapi.json),
as an anonymous caller and as an enterprise member with a personal token: every answer must be
no server error, have a status the schema lists, and match the schema's body for it.

Bounded and repeatable: 25 examples per operation and caller, derandomised, no example database.
The WSGI app runs inside the test's transaction; Django's request signals would close that
connection on PostgreSQL (close_old_connections), so they are disconnected around it.
"""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from tests.security import tally

pytestmark = pytest.mark.django_db

OPERATIONS = [
    "GET /api/v1/lots",
    "GET /api/v1/lots/{lot_id}",
    "GET /api/v1/lots/{lot_id}/bids",
    "POST /api/v1/lots/{lot_id}/bids",
    "GET /api/v1/goal",
]
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
EXAMPLES = settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def wsgi_app():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_the_schema_lists_every_operation_the_fuzzing_covers(wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)

    labels = {result.ok().label for result in schema.get_all_operations()}

    assert labels == set(OPERATIONS)


@pytest.mark.parametrize("caller", ["anonymous", "enterprise"])
@pytest.mark.parametrize("label", OPERATIONS)
def test_the_api_keeps_to_its_schema(label, caller, world, wsgi_app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operation = schema.find_operation_by_label(label)
    headers = {}
    if caller == "enterprise":
        headers["Authorization"] = f"Bearer {world.member_token_raw}"

    # Half the cases aim at the open lot the member has a deposit for, so bids get placed
    # (201) and real lots are read, not only 404s for ids nobody has.
    @EXAMPLES
    @given(case=operation.as_strategy(), real_lot=st.booleans())
    def call(case, real_lot):
        if real_lot and "lot_id" in (case.path_parameters or {}):
            case.path_parameters["lot_id"] = world.lot.pk
        cache.clear()  # the bid rate limit would otherwise answer most of them
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except Exception:
            tally.record("fuzz", ok=False)
            raise
        tally.record("fuzz", ok=True)

    call()

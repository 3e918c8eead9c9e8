"""Property-based tests of the whole API against its own OpenAPI schema, with the app in-process.

Schemathesis generates requests for every operation from the schema, valid and invalid, and
checks each answer: never a server error, a documented status, JSON of the documented shape, and
invalid input refused. STA_SCHEMATHESIS_EXAMPLES sets how many requests each operation and mode
gets (default 20); the runs are derandomized so that CI is repeatable.

Why not ``schemathesis.pytest``: its plugin does not support this pytest release, so the tests
drive Hypothesis directly with the strategies schemathesis builds for each operation.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from sta_tracker.models import ApiToken
from sta_tracker.roles import Role
from sta_tracker.text import NUL_IN_ADDRESS
from sta_tracker.tokens import token_create
from tests.factories import make_user
from tests.reviews.factories import load_lists, make_sta, proposal_in

from .conftest import make_corpus

EXAMPLES = int(os.environ.get("STA_SCHEMATHESIS_EXAMPLES", "20"))
CHECKS = [
    schemathesis.checks.not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
QUIET = [
    HealthCheck.function_scoped_fixture,
    HealthCheck.too_slow,
    HealthCheck.filter_too_much,
    HealthCheck.data_too_large,
]

# The same document /api/schema/ serves (tests/api/test_schema_and_errors.py reads it there).
SCHEMA = schemathesis.openapi.from_dict(
    json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str))
)
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """Django's WSGI application, kept on the test's database connection.

    Why: at the end of every request Django closes a connection that is inside a transaction,
    which would end the test's own; Django's test client switches that off the same way.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def everyone(db: Any) -> Any:
    """One account holding every role, with data for every operation to find."""
    user = make_user(
        "olga",
        Role.SUBMITTER,
        Role.REVIEWER,
        Role.SECURITY_REVIEWER,
        Role.ANALYST,
        Role.ADMINISTRATOR,
    )
    make_corpus()
    sta = make_sta()
    load_lists()
    reviewer, security = make_user("rita", Role.REVIEWER), make_user("sam", Role.SECURITY_REVIEWER)
    for state in ("draft", "screening", "in_review", "approved"):
        proposal_in(state, submitter=user, reviewer=reviewer, security=security, version=sta)
    return user


# The key each persona calls with: (token id, key). Keys cannot be read back from the database.
_KEYS: dict[int, tuple[int, str]] = {}


def _headers(user: Any) -> dict[str, str]:
    # Why check every time: a generated call may revoke the token, or a test's rollback remove it.
    held = _KEYS.get(user.pk)
    if held is None or not ApiToken.objects.filter(pk=held[0], token_key=held[1][:15]).exists():
        # Why clear the others: generated calls make tokens, and a person may hold only a few.
        ApiToken.objects.filter(user=user).delete()
        token, key = token_create(user=user)
        held = _KEYS[user.pk] = (token.pk, key)
    return {"Authorization": f"Token {held[1]}"}


def test_the_schema_covers_every_endpoint() -> None:
    assert len(OPERATIONS) >= 30
    assert {op.label for op in OPERATIONS} >= {
        "GET /api/search/",
        "POST /api/proposals/{id}/decide/",
        "DELETE /api/tokens/{id}/",
    }


def _run(operation: Any, mode: GenerationMode, examples: int, call: Any) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=QUIET,
    )
    def check(case: Any) -> None:
        call(case)

    try:
        check()
    except Unsatisfiable:
        # Why: an operation whose only inputs are path segments of a free-form type has no
        # invalid value that still reaches it; there is nothing to negate.
        if mode is not GenerationMode.NEGATIVE:
            raise
        pytest.skip(f"no invalid request can be expressed for {operation.label}")


# Why: one test with a sub-test per operation builds the data once instead of 70 times.
def test_every_operation_answers_as_its_schema_says_and_never_fails(
    subtests: Any, wsgi_app: WSGIHandler, everyone: Any
) -> None:
    def call(case: Any) -> None:
        response = case.call(headers=_headers(everyone), app=wsgi_app)
        case.validate_response(response, checks=CHECKS)

    for operation in OPERATIONS:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            with subtests.test(msg=f"{operation.label} ({mode.value})"):
                _run(operation, mode, EXAMPLES, call)


def test_every_operation_refuses_an_anonymous_caller(
    subtests: Any, wsgi_app: WSGIHandler, db: Any
) -> None:
    def call(case: Any) -> None:
        response = case.call(app=wsgi_app)
        if response.status_code == 400 and response.json()["detail"] == NUL_IN_ADDRESS:
            return  # an address holding a NUL is refused before anyone is asked who they are
        assert response.status_code == 401, (case.method, case.formatted_path, response.text)
        assert response.json()["code"] == "not_authenticated"

    for operation in OPERATIONS:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            with subtests.test(msg=f"{operation.label} ({mode.value})"):
                _run(operation, mode, 5, call)

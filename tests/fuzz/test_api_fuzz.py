"""Schemathesis fuzzing of the whole OpenAPI (issue 12 §5): every operation, with a clerk's and
a supervisor's bearer token, valid and invalid input; any 5xx or a response that does not match
the documented schema fails.

The schema is read from the application itself (/api/v1/openapi.json) and the requests go
in-process through the production WSGI entry point (onewindow.conf.wsgi: the API's own middleware
chain). Bounded: FUZZ_EXAMPLES examples per operation, role and mode (default 10, as `make fuzz` sets it);
generation is derandomized, so a failure reproduces. Run: `make fuzz` (SQLite, then PostgreSQL
when DATABASE_URL is set)."""

from __future__ import annotations

import os
import time

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from onewindow.org.services import api_token_issue
from tests.factories import make_item

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
SCHEMA_PATH = "/api/v1/openapi.json"
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture
def in_test_transaction():
    """The WSGI handler closes the database connection when a request ends, which would end the
    test's transaction: keep it open, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def loaded(org, in_test_transaction):
    from onewindow.conf.wsgi import application

    make_item(org, code="SC001")
    tokens = {role: api_token_issue(user=org.user(role))[1] for role in ("clerk", "supervisor")}
    schema = schemathesis.openapi.from_wsgi(
        SCHEMA_PATH, application, headers={"Authorization": f"Bearer {tokens['supervisor']}"}
    )
    return schema, tokens


def _fuzz_operation(operation, mode: GenerationMode, headers: dict[str, str]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the failing request is printed
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode))
    def run(case) -> None:
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except Exception as exc:
            raise AssertionError(f"{case.as_curl_command(headers=headers)}\n{exc}") from exc

    run()


@pytest.mark.parametrize("role", ["clerk", "supervisor"])
def test_every_operation_survives_fuzzing(loaded, role):
    schema, tokens = loaded
    headers = {"Authorization": f"Bearer {tokens[role]}"}
    failures: list[str] = []
    started = time.monotonic()
    count = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        count += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz_operation(operation, mode, headers)
            except Unsatisfiable:
                pass  # nothing to make invalid (an operation without parameters or body)
            except Exception as exc:  # collect them all: one run shows every broken operation
                failures.append(f"--- {operation.label} ({mode.value}, {role})\n{exc}")
    print(f"fuzzed {count} operations as {role} in {time.monotonic() - started:.0f} s")
    assert count > 20
    assert not failures, "\n\n".join(failures)

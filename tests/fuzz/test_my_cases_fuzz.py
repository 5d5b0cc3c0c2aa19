"""Schemathesis over the "my cases" endpoints with an APPLICANT token (the whole-API fuzzing uses
staff tokens, which these endpoints answer with 401): every answer matches its documented schema,
never a 5xx. The applicant has an accepted case, a submitted one and a draft."""

from __future__ import annotations

import time

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from onewindow.identity.tokens import applicant_token_issue
from tests.applicants import make_person
from tests.fuzz.test_api_fuzz import SCHEMA_PATH, _fuzz_operation
from tests.online.helpers import accept_online, draft, online_item, submit_online

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]


@pytest.fixture
def in_test_transaction():
    """As in test_api_fuzz: keep the test's transaction open across WSGI requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def applicant_schema(org, in_test_transaction):
    from onewindow.conf.wsgi import application

    version = online_item(org)
    person = make_person()
    draft(org, version, person)
    app, case = submit_online(org, version, person)
    accept_online(org, app, case)
    submit_online(org, version, person)
    token = applicant_token_issue(person=person)[1]
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi(SCHEMA_PATH, application, headers=headers)
    return schema, headers


def test_my_cases_operations_survive_fuzzing(applicant_schema):
    schema, headers = applicant_schema
    failures: list[str] = []
    started = time.monotonic()
    count = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith("/api/v1/public/my/"):
            continue
        count += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz_operation(operation, mode, headers)
            except Unsatisfiable:
                pass
            except Exception as exc:
                failures.append(f"--- {operation.label} ({mode.value})\n{exc}")
    print(f"fuzzed {count} operations as an applicant in {time.monotonic() - started:.0f} s")
    assert count == 4
    assert not failures, "\n\n".join(failures)

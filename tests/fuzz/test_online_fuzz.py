"""Schemathesis fuzzing of the online applications' operations with an applicant's token (the
whole-API fuzz in tests/fuzz uses staff tokens, which the public endpoints answer with 401):
no 5xx, every response as documented. Marked fuzz (`make fuzz`)."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from onewindow.cases.versions import clear_cache
from onewindow.catalog.models import ServiceItemVersion
from onewindow.identity.sessions import Applicant
from onewindow.identity.tokens import applicant_token_issue
from onewindow.online import bundles, services
from onewindow.online.tests.conftest import online_item
from onewindow.org.services import api_token_issue
from tests.applicants import make_person
from tests.approvals.conftest import build_world
from tests.fuzz.test_api_fuzz import in_test_transaction  # noqa: F401

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))
CHECKS = [not_a_server_error, response_schema_conformance]


def _run(operation: Any, mode: GenerationMode, headers: dict[str, str]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(mode))
    def run(case: Any) -> None:
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except Exception as exc:
            raise AssertionError(f"{case.as_curl_command(headers=headers)}\n{exc}") from exc

    run()


def test_the_online_operations_survive_fuzzing(
    org: Any,
    settings: Any,
    tmp_path: Any,
    in_test_transaction: None,  # noqa: F811
) -> None:
    from onewindow.conf.wsgi import application

    settings.MEDIA_ROOT = tmp_path
    version = online_item(org)
    person = make_person()
    services.application_create(
        applicant=Applicant(person=person), center=org.center, item_code=version.item.code
    )
    # a bundle (一件事) open to online applications, with a draft: the same endpoints take `bundle`
    world = build_world(org, questions=True)
    ServiceItemVersion.objects.filter(pk__in=[v.pk for v in world.items.values()]).update(online_allowed=True)
    clear_cache()
    bundles.bundle_application_create(
        applicant=Applicant(person=person), center=org.center, bundle_code=world.bundle.code
    )
    tokens = {
        "applicant": applicant_token_issue(person=person)[1],
        "staff": api_token_issue(user=org.user("clerk"))[1],
    }
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    failures: list[str] = []
    count = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if "/applications" not in operation.path and "/prereview" not in operation.path:
            continue
        count += 1
        for who, token in tokens.items():
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                try:
                    _run(operation, mode, {"Authorization": f"Bearer {token}"})
                except Unsatisfiable:
                    pass
                except Exception as exc:
                    failures.append(f"--- {operation.label} ({mode.value}, {who})\n{exc}")
    assert count == 9
    assert not failures, "\n\n".join(failures)

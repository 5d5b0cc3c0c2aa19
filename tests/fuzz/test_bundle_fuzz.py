"""Schemathesis fuzzing of the bundle cases API (issue 13 §5) on real bundles: the path's
`number` is one of a decided bundle, a bundle awaiting its correction, a refused one and one in
progress (or a generated value), so the generated bodies reach the services and the bundle's state table, and
the documented intake example (bundle QYKB of the approvals test world) is accepted. Any 5xx or
a response that does not match the documented schema fails. Run: `make fuzz`, or
`FUZZ_EXAMPLES=10 .venv/bin/python -m pytest -m fuzz tests/fuzz -p no:xdist -k bundle`."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from onewindow.approvals.models import BundleCase
from onewindow.org.services import api_token_issue
from tests.approvals.conftest import build_world
from tests.fuzz.test_api_fuzz import CHECKS, EXAMPLES, SCHEMA_PATH, in_test_transaction  # noqa: F401

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

PREFIX = "/api/v1/bundle-cases"


@pytest.fixture
def bundles(org, in_test_transaction):  # noqa: F811
    from onewindow.conf.wsgi import application

    world = build_world(org)
    decided = world.intake()
    for sub in decided.sub_cases.select_related("case", "case__department"):
        world.decide(sub.case)
    waiting = world.intake(action="correct", correction_items=[{"name": "身份证明", "note": "不清晰"}])
    refused = world.intake(action="refuse", note="不属于受理范围")
    running = world.intake()  # in progress: corrections and extensions apply
    decided.refresh_from_db()
    assert decided.status == BundleCase.Status.DECIDED
    numbers = [decided.number, waiting.number, refused.number, running.number]
    tokens = {role: api_token_issue(user=org.user(role))[1] for role in ("clerk", "supervisor")}
    tokens["GA-reviewer"] = api_token_issue(user=world.reviewer("GA"))[1]
    schema = schemathesis.openapi.from_wsgi(
        SCHEMA_PATH, application, headers={"Authorization": f"Bearer {tokens['supervisor']}"}
    )
    return schema, tokens, numbers


def _aimed(operation, mode: GenerationMode, numbers: list[str]):
    """The operation's cases, with the path's number often one of the real bundles."""

    def aim(pair):
        case, choice = pair
        if choice is not None and case.path_parameters and "number" in case.path_parameters:
            case.path_parameters["number"] = choice
        return case

    choices = st.one_of(st.none(), st.sampled_from(numbers)) if numbers else st.none()
    return st.tuples(operation.as_strategy(mode), choices).map(aim)


def _fuzz(operation, mode: GenerationMode, headers: dict[str, str], numbers: list[str]) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_aimed(operation, mode, numbers))
    def run(case) -> None:
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except Exception as exc:
            raise AssertionError(f"{case.as_curl_command(headers=headers)}\n{exc}") from exc

    run()


@pytest.mark.parametrize("role", ["clerk", "supervisor", "GA-reviewer"])
def test_bundle_operations_survive_fuzzing_on_real_bundles(bundles, role):
    schema, tokens, numbers = bundles
    headers = {"Authorization": f"Bearer {tokens[role]}"}
    failures: list[str] = []
    count = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        if not operation.path.startswith(PREFIX):
            continue
        count += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                _fuzz(operation, mode, headers, numbers)
            except Unsatisfiable:
                pass
            except Exception as exc:
                failures.append(f"--- {operation.label} ({mode.value}, {role})\n{exc}")
    assert count == 4  # intake, list, detail, actions
    assert not failures, "\n\n".join(failures)


def test_the_documented_intake_example_is_accepted(bundles):
    """The schema's example (OpenAPI `examples` of BundleIntakeIn), sent with the clerk's token,
    opens a bundle and its answer matches the documented 201 schema."""
    schema, tokens, _numbers = bundles
    headers = {"Authorization": f"Bearer {tokens['clerk']}"}
    before = BundleCase.objects.count()
    operation = next(
        r.ok()
        for r in schema.get_all_operations()
        if r.ok().path == PREFIX and r.ok().method.upper() == "POST"
    )
    strategies = operation.get_strategies_from_examples()
    assert strategies, "BundleIntakeIn documents no example"

    statuses: list[int] = []

    @settings(
        max_examples=5,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=st.one_of(*strategies))
    def run(case) -> None:
        statuses.append(case.call_and_validate(headers=headers, checks=CHECKS).status_code)

    run()
    assert 201 in statuses, statuses  # the whole example (others fill in property examples only)
    assert BundleCase.objects.count() > before

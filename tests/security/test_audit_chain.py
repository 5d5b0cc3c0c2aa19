"""Issue 12 §3: a tamper-evident, append-only audit trail (ADR 0024).

Hash chains over the audit entries (one chain) and each case's events, found broken by
`audit_verify` and the daily check; triggers refusing UPDATE and DELETE on both tables on both
databases; the PostgreSQL role split; the auditor's masked export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from openpyxl import load_workbook

from onewindow.cases.chain import verify_case_events
from onewindow.cases.models import Case, CaseEvent
from onewindow.cases.tests.conftest import act, intake, item, load_calendar_2026
from onewindow.core import audit
from onewindow.core.append_only import FUNCTION, trigger_names
from onewindow.core.chain import verify_audit
from onewindow.core.models import AuditChainHead, AuditEntry
from onewindow.supervision.integrity import trails_check
from onewindow.supervision.models import Flag
from tests.factories import PASSWORD

AUDIT = AuditEntry._meta.db_table
EVENTS = CaseEvent._meta.db_table
pytestmark = pytest.mark.django_db


@pytest.fixture
def center(org: Any) -> Any:
    """The org fixture with the 2026 calendar (cases can be run)."""
    load_calendar_2026()
    return org


@contextmanager
def triggers_off(*tables: str) -> Iterator[None]:
    """Tamper as someone who bypasses the triggers would (the owner role, the SQLite file):
    inside the test's transaction, which puts them back when it rolls back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # ALTER TABLE waits for no deferred FK check
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
            else:
                for name in trigger_names(table):
                    cursor.execute(f'DROP TRIGGER "{name}"')
    yield


def raw(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def verify_output() -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("audit_verify", stdout=out)
    except CommandError as exc:
        return exc.returncode, out.getvalue()
    return 0, out.getvalue()


def three_entries(org: Any) -> list[AuditEntry]:
    for i in range(3):
        audit.record(
            action=f"test.{i}", obj=org.center, before={"i": i}, after={"名称": "中心", "n": [i, 1.5]}
        )
    return list(AuditEntry.objects.order_by("id"))


def walked_case(center: Any) -> Case:
    case = intake(center, item(center))
    case.refresh_from_db()
    reviewer = center.user("scjg-reviewer")
    case = act(case, "pass_step", reviewer, opinion="同意")
    case.refresh_from_db()
    return case


# --- the chains ---------------------------------------------------------------------------------


def test_audit_entries_form_one_chain_with_its_head(org: Any) -> None:
    entries = three_entries(org)
    assert entries[0].prev_hash == "" or AuditEntry.objects.filter(id__lt=entries[0].id).exists()
    for before, after in itertools.pairwise(entries):
        assert after.prev_hash == before.row_hash and len(after.row_hash) == 64
    head = AuditChainHead.objects.get(name="audit")
    assert (head.last_id, head.last_hash, head.count) == (entries[-1].pk, entries[-1].row_hash, len(entries))
    assert verify_audit() == []
    assert verify_output()[0] == 0


def test_case_events_are_chained_per_case_and_the_case_keeps_the_head(center: Any) -> None:
    case = walked_case(center)
    events = list(CaseEvent.objects.filter(case=case).order_by("seq"))
    assert len(events) >= 2 and events[0].prev_hash == ""
    for before, after in itertools.pairwise(events):
        assert after.prev_hash == before.row_hash
    assert case.event_hash == events[-1].row_hash
    assert verify_case_events() == []
    assert verify_output() == (0, "audit trail and case histories: intact\n")


def test_writes_during_the_walk_are_no_false_alarm(center: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check walks without locks while staff work: an audit entry written after its walk
    and a case acted on after its head was read are not breaks."""
    from onewindow.cases import chain as case_chain
    from onewindow.core import chain as core_chain

    case = walked_case(center)
    three_entries(center)
    rows, heads = core_chain._audit_rows, case_chain._heads
    calls = []

    def rows_then_write(after: int | None) -> Any:
        yield from rows(after)
        if not calls:
            calls.append(after)
            audit.record(action="test.meanwhile", obj=center.center)

    def stale_heads() -> Any:
        for case_id, head in heads():
            yield case_id, ("0" * 64 if case_id == case.pk else head)

    monkeypatch.setattr(core_chain, "_audit_rows", rows_then_write)
    monkeypatch.setattr(case_chain, "_heads", stale_heads)
    assert verify_audit() == [] and verify_case_events() == []
    assert AuditEntry.objects.filter(action="test.meanwhile").exists()


def test_the_demo_history_leaves_whole_chains() -> None:
    """The demo history writes three months of cases with a moved clock, through the services:
    every chain it leaves is whole, and so is the audit trail around it."""
    from onewindow.demo.history import load_history
    from onewindow.demo.loader import load_demo
    from onewindow.org.models import Center

    load_demo(history=False)
    load_history(
        center=Center.objects.get(code="SFS"), count=40, until=dt.datetime(2026, 12, 7, 3, tzinfo=dt.UTC)
    )
    assert CaseEvent.objects.count() > 100 and CaseEvent.objects.filter(row_hash="").count() == 0
    assert verify_case_events() == [] and verify_audit() == []


# --- tampering is found -----------------------------------------------------------------------


def test_an_edited_audit_entry_is_found(org: Any) -> None:
    entries = three_entries(org)
    with triggers_off(AUDIT):
        raw(f'UPDATE "{AUDIT}" SET "actor_name" = %s WHERE "id" = %s', ["intruder", entries[1].pk])
    code, out = verify_output()
    assert code == 1
    assert f"{AUDIT} chain audit: row {entries[1].pk}: content" in out
    assert entries[1].row_hash in out  # expected vs found: the stored hash is what was found


def test_a_deleted_or_replaced_audit_entry_is_found(org: Any) -> None:
    entries = three_entries(org)
    with triggers_off(AUDIT):
        raw(f'DELETE FROM "{AUDIT}" WHERE "id" = %s', [entries[1].pk])
    [found] = verify_audit()
    assert (found.row_id, found.problem) == (entries[2].pk, "link")
    assert (found.expected, found.found) == (entries[0].row_hash, entries[1].row_hash)


def test_an_audit_entry_inserted_in_the_middle_is_found(org: Any) -> None:
    entries = three_entries(org)
    with triggers_off(AUDIT):
        raw(f'DELETE FROM "{AUDIT}" WHERE "id" = %s', [entries[1].pk])
        forged = AuditEntry(
            id=entries[1].pk, at=entries[1].at, action="forged", object_type="x", object_id="1"
        )
        from onewindow.core.chain import audit_payload, digest

        forged.prev_hash = entries[0].row_hash
        forged.row_hash = digest(
            forged.prev_hash,
            audit_payload(
                {n: getattr(forged, n) for n in ("at", "action", "object_type", "object_id")}
                | {"actor_name": "", "ip": "", "object_repr": ""}
            ),
        )
        AuditEntry.objects.bulk_create([forged])
    [found] = verify_audit()
    assert (found.row_id, found.problem) == (entries[2].pk, "link")


def test_a_cut_tail_of_the_audit_trail_is_found(org: Any) -> None:
    entries = three_entries(org)
    with triggers_off(AUDIT):
        raw(f'DELETE FROM "{AUDIT}" WHERE "id" = %s', [entries[-1].pk])
    [found] = verify_audit()
    assert found.problem == "head" and entries[-1].row_hash in found.expected


def test_an_edited_deleted_or_appended_case_event_is_found(center: Any) -> None:
    case = walked_case(center)
    other = walked_case(center)
    _first, second = CaseEvent.objects.filter(case=case).order_by("seq")[:2]
    with triggers_off(EVENTS):
        raw(f'UPDATE "{EVENTS}" SET "opinion" = %s WHERE "id" = %s', ["改过", second.pk])
        raw(
            f'DELETE FROM "{EVENTS}" WHERE "id" = %s',
            [CaseEvent.objects.filter(case=other).order_by("seq")[0].pk],
        )
    breaks = {b.case_id: b for b in verify_case_events()}
    assert (breaks[case.pk].row_id, breaks[case.pk].problem) == (second.pk, "content")
    assert breaks[other.pk].problem == "link"
    code, out = verify_output()
    assert code == 1 and f"{EVENTS} chain case {case.pk}: row {second.pk}: content" in out


def test_a_cut_tail_of_a_case_history_is_found(center: Any) -> None:
    case = walked_case(center)
    last = CaseEvent.objects.filter(case=case).order_by("-seq")[0]
    with triggers_off(EVENTS):
        raw(f'DELETE FROM "{EVENTS}" WHERE "id" = %s', [last.pk])
    [found] = verify_case_events()
    assert (found.table, found.row_id, found.problem) == (Case._meta.db_table, case.pk, "head")
    assert found.expected == last.row_hash


def test_the_daily_check_raises_the_alarm(center: Any, caplog: pytest.LogCaptureFixture) -> None:
    case = walked_case(center)
    assert trails_check().ok
    assert AuditEntry.objects.filter(action="audit.chain_verified").exists()
    event = CaseEvent.objects.filter(case=case).order_by("seq")[0]
    with triggers_off(EVENTS):
        raw(f'UPDATE "{EVENTS}" SET "actor_name" = %s WHERE "id" = %s', ["nobody", event.pk])
    with caplog.at_level(logging.ERROR, logger="onewindow.supervision.integrity"):
        assert not trails_check().ok
        trails_check()  # the next night: the same break, no second flag
    flag = Flag.objects.get(case=case, kind=Flag.Kind.CHAIN_BROKEN)
    assert flag.level == Flag.Level.ANOMALY and flag.detail["row"] == event.pk
    assert any("tampered" in r.getMessage() and str(event.pk) in r.getMessage() for r in caplog.records)
    alarm = AuditEntry.objects.filter(action="audit.chain_broken").latest("id")
    assert {"table": EVENTS, "row": event.pk, "problem": "content"}.items() <= alarm.after["breaks"][
        -1
    ].items()


def test_the_daily_check_is_a_periodic_task() -> None:
    from onewindow.supervision import tasks

    at_night = dt.datetime(2026, 12, 8, 2, 30)
    assert tasks.audit_trail_check.task_class().validate_datetime(at_night)
    assert not tasks.audit_trail_check.task_class().validate_datetime(at_night.replace(hour=3))


def test_missing_triggers_are_a_break(org: Any) -> None:
    three_entries(org)
    with triggers_off(AUDIT):
        code, out = verify_output()
    assert code == 1 and f"{AUDIT} chain triggers" in out


# --- the triggers -------------------------------------------------------------------------------


def _refused(fn: Any) -> bool:
    try:
        with transaction.atomic():
            fn()
    except DatabaseError as exc:
        return "append-only" in str(exc)
    return False


def test_update_and_delete_are_refused_by_the_database(center: Any) -> None:
    case = walked_case(center)
    audit.record(action="test", obj=case)
    entry = AuditEntry.objects.latest("id")
    event = CaseEvent.objects.filter(case=case).latest("seq")
    for model, row in ((AuditEntry, entry), (CaseEvent, event)):
        table = model._meta.db_table
        assert _refused(lambda m=model, r=row: m.objects.filter(pk=r.pk).update(action="x"))
        assert _refused(lambda m=model, r=row: m.objects.filter(pk=r.pk).delete())
        assert _refused(lambda m=model: m.objects.all().delete())
        assert _refused(
            lambda t=table, r=row: raw(f'UPDATE "{t}" SET "action" = %s WHERE "id" = %s', ["x", r.pk])
        )
        assert _refused(lambda t=table: raw(f'DELETE FROM "{t}"'))
        assert model.objects.filter(pk=row.pk, action=row.action).exists()


@pytest.mark.django_db(transaction=True)
def test_the_test_runners_flush_still_empties_the_tables(org: Any) -> None:
    """A transactional test: the flush after it must empty the append-only tables."""
    audit.record(action="test.flush", obj=org.center)
    assert AuditEntry.objects.filter(action="test.flush").exists()


@pytest.mark.django_db(transaction=True)
def test_the_flush_left_nothing_behind() -> None:
    assert not AuditEntry.objects.filter(action="test.flush").exists()
    assert _refused(lambda: raw(f'DELETE FROM "{AUDIT}"')) or not AuditEntry.objects.exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_the_application_role_cannot_tamper_or_remove_the_triggers(center: Any) -> None:
    """PostgreSQL: the role of `audit_grants` (SELECT/INSERT only, not the owner) is refused
    UPDATE, DELETE, TRUNCATE, disabling and dropping the triggers."""
    case = walked_case(center)
    audit.record(action="test.before", obj=case)
    raw("SET CONSTRAINTS ALL IMMEDIATE")
    role = f"ow_app_{uuid.uuid4().hex[:8]}"
    raw(f'CREATE ROLE "{role}" NOLOGIN')
    call_command("audit_grants", role=role, apply=True, stdout=io.StringIO())
    raw(f'SET ROLE "{role}"')
    try:
        assert AuditEntry.objects.exists() and CaseEvent.objects.filter(case=case).exists()
        for table in (AUDIT, EVENTS):
            for sql in (
                f'UPDATE "{table}" SET "action" = \'x\'',
                f'DELETE FROM "{table}"',
                f'TRUNCATE "{table}"',
                f'ALTER TABLE "{table}" DISABLE TRIGGER USER',
                f'DROP TRIGGER "{table}_append_only" ON "{table}"',
                f"DROP FUNCTION {FUNCTION}() CASCADE",
            ):
                with pytest.raises(DatabaseError), transaction.atomic():
                    raw(sql)
        with transaction.atomic():
            audit.record(action="test.as_app_role", obj=case)  # and it can still write the trail
    finally:
        raw("RESET ROLE")


# --- retention and export -------------------------------------------------------------------------


def test_no_code_path_deletes_the_audit_trail() -> None:
    """Retention (等保: at least 6 months): nothing in onewindow/ deletes or purges audit entries
    or case events (the triggers would refuse it anyway)."""
    import pathlib
    import re

    pattern = re.compile(r"(AuditEntry|CaseEvent)\.objects[^\n]*\.(delete|update)\(")
    found = [
        str(path)
        for path in pathlib.Path("onewindow").rglob("*.py")
        if "tests" not in path.parts and "migrations" not in path.parts and pattern.search(path.read_text())
    ]
    assert found == []


def _login(client: Any, user: Any) -> Any:
    user.is_staff = True
    user.save()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _export(client: Any, action: str, query: str = "") -> Any:
    url = reverse("admin:core_auditentry_changelist") + query
    ids = list(AuditEntry.objects.values_list("pk", flat=True))
    return client.post(url, {"action": action, "_selected_action": ids, "select_across": "1"})


@pytest.fixture
def personal(org: Any) -> AuditEntry:
    return audit.record(
        action="case.applicant_update",
        object_type="cases.case",
        object_id="1",
        object_repr="张三 110101199003071234",
        before={
            "applicant_name": "张三",
            "applicant_id_number": "110101199003071234",
            "phone": "13812345678",
        },
        after={"note": "电话13812345678", "agent": {"name": "李四"}},
        actor=org.user("centeradmin"),
    )


def test_the_auditor_exports_a_masked_csv_and_the_export_is_audited(
    client: Any, org: Any, personal: Any
) -> None:
    response = _export(
        _login(client, org.user("auditor")), "export_csv", "?action__exact=case.applicant_update"
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "时间" and rows[0][3] == "操作" and len(rows) == 2
    body = "\n".join(",".join(r) for r in rows[1:])
    for secret in ("110101199003071234", "13812345678", "张三", "李四"):
        assert secret not in body
    assert "110***********1234" in body and "138****5678" in body and "张*" in body
    export = AuditEntry.objects.get(action="audit.export")
    assert export.actor == org.user("auditor") and export.after["rows"] == 1
    assert export.after["filters"] == {"action__exact": "case.applicant_update"}


def test_the_auditor_exports_excel_with_chinese_headers(client: Any, org: Any, personal: Any) -> None:
    response = _export(_login(client, org.user("auditor")), "export_xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert tuple(values[0][:4]) == ("时间", "操作人名称", "地址", "操作")
    assert str(values[0][-1]).startswith("哈希")
    assert not any("110101199003071234" in str(v) for row in values for v in row)
    assert AuditEntry.objects.filter(action="audit.export", after__format="xlsx").exists()


@pytest.mark.parametrize("role", ["secadmin", "sysadmin", "supervisor", "clerk"])
def test_only_the_auditor_may_export(client: Any, org: Any, personal: Any, role: str) -> None:
    response = _export(_login(client, org.user(role)), "export_csv")
    assert response.status_code in (302, 403)
    assert not AuditEntry.objects.filter(action="audit.export").exists()

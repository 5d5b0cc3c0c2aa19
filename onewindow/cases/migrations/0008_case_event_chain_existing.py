"""Chain the case events written before the chain existed (ADR 0024): per case in seq order, and
the case's head. Runs before the append-only triggers (0009) exist."""

from typing import Any

from django.db import migrations

CHUNK = 2000


def chain_existing(apps: Any, schema_editor: Any) -> None:
    from onewindow.cases.chain import EVENT_FIELDS, event_payload
    from onewindow.core.chain import digest

    Case = apps.get_model("cases", "Case")
    CaseEvent = apps.get_model("cases", "CaseEvent")
    events: list[Any] = []
    heads: list[Any] = []
    case_id, prev = None, ""

    def flush(force: bool) -> None:
        nonlocal events, heads
        if events and (force or len(events) >= CHUNK):
            CaseEvent.objects.bulk_update(events, ["prev_hash", "row_hash"])
            events = []
        if heads and (force or len(heads) >= CHUNK):
            Case.objects.bulk_update(heads, ["event_hash"])
            heads = []

    rows = CaseEvent.objects.order_by("case_id", "seq").values("id", *EVENT_FIELDS)
    for row in rows.iterator(chunk_size=CHUNK):
        if row["case_id"] != case_id:
            if case_id is not None:
                heads.append(Case(id=case_id, event_hash=prev))
            case_id, prev = row["case_id"], ""
        row_hash = digest(prev, event_payload(row))
        events.append(CaseEvent(id=row["id"], prev_hash=prev, row_hash=row_hash))
        prev = row_hash
        flush(False)
    if case_id is not None:
        heads.append(Case(id=case_id, event_hash=prev))
    flush(True)


class Migration(migrations.Migration):
    dependencies = [("cases", "0007_case_event_chain_fields")]

    operations = [migrations.RunPython(chain_existing, migrations.RunPython.noop, elidable=False)]

"""Chain the audit entries written before the chain existed (ADR 0024), in id order, and set the
chain's head. Runs before the append-only triggers (0004) exist."""

from typing import Any

from django.db import migrations

CHUNK = 2000


def chain_existing(apps: Any, schema_editor: Any) -> None:
    from onewindow.core.chain import AUDIT_CHAIN, AUDIT_FIELDS, audit_payload, digest

    AuditEntry = apps.get_model("core", "AuditEntry")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    prev, last_id, count = "", None, 0
    pending: list[Any] = []
    for row in AuditEntry.objects.order_by("id").values("id", *AUDIT_FIELDS).iterator(chunk_size=CHUNK):
        row_hash = digest(prev, audit_payload(row))
        pending.append(AuditEntry(id=row["id"], prev_hash=prev, row_hash=row_hash))
        prev, last_id, count = row_hash, row["id"], count + 1
        if len(pending) >= CHUNK:
            AuditEntry.objects.bulk_update(pending, ["prev_hash", "row_hash"])
            pending = []
    AuditEntry.objects.bulk_update(pending, ["prev_hash", "row_hash"])
    AuditChainHead.objects.update_or_create(
        name=AUDIT_CHAIN, defaults={"last_id": last_id, "last_hash": prev, "count": count}
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_chain_fields")]

    operations = [migrations.RunPython(chain_existing, migrations.RunPython.noop, elidable=False)]

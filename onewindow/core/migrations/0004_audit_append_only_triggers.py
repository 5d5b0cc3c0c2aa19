"""Triggers refusing UPDATE and DELETE of audit entries (core.append_only, ADR 0024)."""

from django.db import migrations

from onewindow.core.append_only import append_only_triggers


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_chain_existing")]

    operations = [append_only_triggers("core_auditentry")]

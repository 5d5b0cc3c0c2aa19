"""Triggers refusing UPDATE and DELETE of case events (core.append_only, ADR 0024)."""

from django.db import migrations

from onewindow.core.append_only import append_only_triggers


class Migration(migrations.Migration):
    dependencies = [("cases", "0008_case_event_chain_existing"), ("core", "0004_audit_append_only_triggers")]

    operations = [append_only_triggers("cases_caseevent")]

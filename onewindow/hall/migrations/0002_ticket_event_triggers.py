"""Triggers refusing UPDATE and DELETE of ticket events (core.append_only, ADR 0024)."""

from django.db import migrations

from onewindow.core.append_only import append_only_triggers


class Migration(migrations.Migration):
    dependencies = [("hall", "0001_initial"), ("core", "0004_audit_append_only_triggers")]

    operations = [append_only_triggers("hall_ticketevent")]

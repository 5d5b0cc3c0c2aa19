"""Triggers refusing UPDATE and DELETE of clock records and leave decisions (core.append_only,
ADR 0024)."""

from django.db import migrations

from onewindow.core.append_only import append_only_triggers


class Migration(migrations.Migration):
    dependencies = [("attendance", "0001_initial"), ("core", "0004_audit_append_only_triggers")]

    operations = [append_only_triggers("attendance_clockrecord", "attendance_leavedecision")]

"""An index for the supervision sweep: the running pauses (special procedures) by expected end,
so that the "suspended past the expected end" anomaly reads only the pauses whose expected end
passed since the last sweep (onewindow/supervision/sweep.py, `_pause_overrun_flags`).

Plain SQL (the same on SQLite and PostgreSQL) so that cases/models.py need not change; the
index can move into CasePause.Meta.indexes later with a SeparateDatabaseAndState migration."""

from django.db import migrations

INDEX = "case_pause_running_end_idx"


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_lean_write_indexes")]

    operations = [
        migrations.RunSQL(
            f'CREATE INDEX "{INDEX}" ON "cases_casepause" ("expected_end") WHERE "ended_at" IS NULL',
            f'DROP INDEX "{INDEX}"',
        )
    ]

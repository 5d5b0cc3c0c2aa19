"""Database-level protection of the append-only tables (issue 12 §3, ADR 0024): triggers that
refuse every UPDATE and DELETE of their rows, whatever the code path (`QuerySet.update()`,
`.delete()`, raw SQL).

* PostgreSQL: one plpgsql function raising an exception, a BEFORE UPDATE OR DELETE row trigger
  per table. TRUNCATE fires no row trigger: it needs the TRUNCATE privilege, which only the
  owner role has (the application's role gets SELECT and INSERT, `manage.py audit_grants`); the
  test runner's flush truncates as the owner.
* SQLite: a BEFORE UPDATE trigger and a BEFORE DELETE trigger per table, `RAISE(ABORT, …)`. The
  DELETE trigger lets rows go only while the one-row table `ow_flush_allowed` holds a row; the
  only code that writes it is the database backend's `sql_flush` when the test runner asked for
  it (`onewindow.core.db.sqlite3.base.ALLOW_FLUSH`), inside the flush's own transaction. SQLite
  has no roles: whoever can write the database file can drop a trigger, which the hash chain
  (core.chain) then shows.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FUNCTION = "ow_append_only"
FLUSH_TABLE = "ow_flush_allowed"

# The append-only tables of apps above the ones that check them (supervision's integrity check and
# `audit_grants` list their own and these): an app registers its tables in `AppConfig.ready()`.
_registered: list[str] = []


def register_table(table: str) -> None:
    if table not in _registered:
        _registered.append(table)


def registered_tables() -> tuple[str, ...]:
    return tuple(_registered)


_PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'onewindow: % is append-only (% refused)', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$
"""


def trigger_names(table: str) -> list[str]:
    return [f"{table}_no_update", f"{table}_no_delete"]


def _forwards(tables: tuple[str, ...]) -> Any:
    def forwards(apps: Any, schema_editor: Any) -> None:
        quote = schema_editor.connection.ops.quote_name
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(_PG_FUNCTION, params=None)  # no placeholders: its % are plpgsql
            for table in tables:
                schema_editor.execute(
                    f"CREATE TRIGGER {quote(table + '_append_only')} BEFORE UPDATE OR DELETE ON "
                    f"{quote(table)} FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
                )
            return
        schema_editor.execute(f"CREATE TABLE IF NOT EXISTS {FLUSH_TABLE} (allowed integer NOT NULL)")
        for table in tables:
            no_update, no_delete = trigger_names(table)
            schema_editor.execute(
                f"CREATE TRIGGER {quote(no_update)} BEFORE UPDATE ON {quote(table)} "
                f"BEGIN SELECT RAISE(ABORT, 'onewindow: {table} is append-only (UPDATE refused)'); END"
            )
            schema_editor.execute(  # table names of our models, no input
                f"CREATE TRIGGER {quote(no_delete)} BEFORE DELETE ON {quote(table)} "  # noqa: S608
                f"WHEN NOT EXISTS (SELECT 1 FROM {FLUSH_TABLE}) "
                f"BEGIN SELECT RAISE(ABORT, 'onewindow: {table} is append-only (DELETE refused)'); END"
            )

    return forwards


def _backwards(tables: tuple[str, ...]) -> Any:
    def backwards(apps: Any, schema_editor: Any) -> None:
        quote = schema_editor.connection.ops.quote_name
        for table in tables:
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(
                    f"DROP TRIGGER IF EXISTS {quote(table + '_append_only')} ON {quote(table)}"
                )
            else:
                for name in trigger_names(table):
                    schema_editor.execute(f"DROP TRIGGER IF EXISTS {quote(name)}")

    return backwards


def append_only_triggers(*tables: str) -> migrations.RunPython:
    """A migration operation creating the append-only triggers of `tables`."""
    return migrations.RunPython(_forwards(tables), _backwards(tables), elidable=False)


def installed_triggers(connection: Any, table: str) -> int:
    """How many append-only triggers `table` has (2 on SQLite, 1 on PostgreSQL when intact)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relname = %s AND t.tgname = %s AND t.tgenabled <> 'D'",
                [table, f"{table}_append_only"],
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master "
                "WHERE type = 'trigger' AND tbl_name = %s AND name IN (%s, %s)",
                [table, *trigger_names(table)],
            )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def expected_triggers(connection: Any) -> int:
    return 1 if connection.vendor == "postgresql" else 2


def grant_statements(role: str, tables: tuple[str, ...], schema: str = "public") -> list[str]:
    """PostgreSQL: the privileges of the application's role `role` when migrations run as the
    owner role: every right it needs on the other tables, only SELECT and INSERT on the
    append-only `tables` (no UPDATE, DELETE or TRUNCATE; not being their owner, it can neither
    drop nor disable their triggers), and the same for the tables later migrations create."""
    q = '"' + role.replace('"', '""') + '"'
    s = '"' + schema.replace('"', '""') + '"'
    listed = ", ".join(f'{s}."{t}"' for t in tables)
    return [
        f"GRANT USAGE ON SCHEMA {s} TO {q}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {s} TO {q}",
        f"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA {s} TO {q}",
        f"REVOKE ALL ON {listed} FROM {q}",
        f"GRANT SELECT, INSERT ON {listed} TO {q}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {q}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {s} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {q}",
    ]

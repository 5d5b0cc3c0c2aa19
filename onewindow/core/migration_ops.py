"""Operations for migrations that only drop indexes.

Django's SQLite backend rebuilds the whole table for an AlterField that only turns `db_index`
off: on a table of a million cases that is a long copy holding the write lock. These helpers
drop (and, backwards, re-create) the single-column indexes of the given fields directly, found
by introspection, so the same migration works on SQLite and PostgreSQL (where a text column also
has a `_like` pattern index) whatever the indexes are called. Use them as the database side of a
SeparateDatabaseAndState whose state side holds the AlterFields.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import migrations, models


def _drop(app_label: str, fields: dict[str, tuple[str, ...]]) -> Callable[[Any, Any], None]:
    def forwards(apps: Any, schema_editor: Any) -> None:
        connection = schema_editor.connection
        quote = connection.ops.quote_name
        for model_name, names in fields.items():
            model = apps.get_model(app_label, model_name)
            table = model._meta.db_table
            columns = {model._meta.get_field(n).column for n in names}
            with connection.cursor() as cursor:
                constraints = connection.introspection.get_constraints(cursor, table)
            for index, info in sorted(constraints.items()):
                single = len(info["columns"]) == 1 and info["columns"][0] in columns
                if single and info["index"] and not info["unique"] and not info["primary_key"]:
                    schema_editor.execute(f"DROP INDEX {quote(index)}")

    return forwards


def _create(app_label: str, fields: dict[str, tuple[str, ...]]) -> Callable[[Any, Any], None]:
    def backwards(apps: Any, schema_editor: Any) -> None:
        for model_name, names in fields.items():
            model = apps.get_model(app_label, model_name)
            for name in names:
                column = model._meta.get_field(name).column
                # Django's public add_index; the name only has to be unique (the forwards step
                # finds indexes by their columns, whatever they are called)
                index_name = f"{model._meta.db_table}_{column}_ow_idx"
                schema_editor.add_index(model, models.Index(fields=[name], name=index_name))

    return backwards


def drop_single_column_indexes(app_label: str, fields: dict[str, Iterable[str]]) -> migrations.RunPython:
    """A RunPython dropping the plain single-column indexes of `fields` ({model: [field, …]})."""
    frozen = {model: tuple(names) for model, names in fields.items()}
    return migrations.RunPython(_drop(app_label, frozen), _create(app_label, frozen), elidable=False)

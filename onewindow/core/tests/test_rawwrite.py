"""The contract of onewindow.core.rawwrite: a guard per allowed model (no save() override, no
model-signal receiver, only supported field types), refusals, and defaults computed per row.
(The parity with the ORM is tested where the models live: supervision/tests/test_rawwrite_parity.py.)"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.db.models import signals
from django.test.utils import isolate_apps

from onewindow.core import rawwrite


def allowed_models() -> list[type[models.Model]]:
    return [apps.get_model(label) for label in sorted(rawwrite.ALLOWED)]


@pytest.mark.parametrize("label", sorted(rawwrite.ALLOWED | rawwrite.INSTANCES))
def test_each_allowed_model_keeps_the_contract(label: str) -> None:
    """Fails when someone adds a save() override, a pre/post_save receiver, db_default, auto_now,
    or a field type rawwrite does not convert to an allowed model: its raw writes would skip it."""
    model = apps.get_model(label)
    assert rawwrite.problems(model) == []
    if label not in rawwrite.APPEND_ONLY:
        assert model.save is models.Model.save
    for signal in (signals.pre_save, signals.post_save, signals.pre_init, signals.post_init):
        assert not signal.has_listeners(model)


@pytest.mark.parametrize("label", sorted(rawwrite.APPEND_ONLY))
def test_an_append_only_save_only_refuses_changes(label: str) -> None:
    """The one save() override rawwrite accepts: it refuses an update and otherwise is Django's
    (an INSERT through rawwrite does what it does for a new row)."""
    import inspect

    model = apps.get_model(label)
    source = inspect.getsource(model.save)
    assert "if self.pk is not None:" in source and "AppendOnlyError" in source
    assert source.rstrip().endswith("super().save(*args, **kwargs)")


@pytest.mark.parametrize("label", sorted(rawwrite.COUNTERS))
def test_each_counter_is_a_plain_integer(label: str) -> None:
    model = apps.get_model(label)
    for column in rawwrite.COUNTERS[label]:
        field = model._meta.get_field(column)
        assert isinstance(field, models.IntegerField) and not field.null
    assert model.save is models.Model.save


@pytest.mark.parametrize("label", sorted(rawwrite.FLIPPABLE))
def test_each_flippable_column_is_a_plain_integer(label: str) -> None:
    model = apps.get_model(label)
    for column in rawwrite.FLIPPABLE[label]:
        field = model._meta.get_field(column)
        assert isinstance(field, models.IntegerField) and not field.null


@pytest.fixture
def receiver_on_flag() -> Iterator[type[models.Model]]:
    flag = apps.get_model("supervision.Flag")

    def receiver(**_kwargs: Any) -> None:
        pass

    signals.pre_save.connect(receiver, sender=flag)
    yield flag
    signals.pre_save.disconnect(receiver, sender=flag)


def test_the_guard_sees_a_receiver(receiver_on_flag: type[models.Model]) -> None:
    assert rawwrite.problems(receiver_on_flag) == ["supervision.Flag has a receiver of a model signal"]


@isolate_apps("onewindow.core")
def test_the_guard_sees_save_overrides_and_unsupported_fields() -> None:
    class Odd(models.Model):  # noqa: DJ008
        amount = models.DecimalField(max_digits=5, decimal_places=2)
        stamped = models.DateTimeField(auto_now=True)
        counted = models.IntegerField(db_default=0)

        class Meta:
            app_label = "core"

        def save(self, *args: Any, **kwargs: Any) -> None:
            super().save(*args, **kwargs)

    assert rawwrite.problems(Odd) == [
        "core.Odd is not in rawwrite.ALLOWED or rawwrite.INSTANCES",
        "core.Odd overrides save()",
        "core.Odd.amount: DecimalField is not supported",
        "core.Odd.stamped: auto_now/auto_now_add are not supported",
        "core.Odd.counted: db_default is not supported",
    ]
    with pytest.raises(TypeError, match="not in ALLOWED"):
        rawwrite.insert(Odd, [{"amount": 1}])
    with pytest.raises(TypeError, match="DecimalField"):
        rawwrite.columns_of([Odd._meta.get_field("amount")])


def test_flip_refuses_a_column_that_is_not_flippable() -> None:
    case = apps.get_model("cases.Case")
    with pytest.raises(TypeError, match="not in FLIPPABLE"):
        rawwrite.flip(case, "version", [1], new=2)


@isolate_apps("onewindow.core")
def test_defaults_are_computed_per_row() -> None:
    class Token(models.Model):  # noqa: DJ008
        token = models.UUIDField(default=uuid.uuid4)
        data = models.JSONField(default=dict)
        note = models.CharField(max_length=10, default="x")
        when = models.DateTimeField(null=True)

        class Meta:
            app_label = "core"

    fields = [f for f in Token._meta.concrete_fields if not f.primary_key]
    columns = rawwrite.columns_of(fields)
    rows = [rawwrite.row_values(columns, {}) for _ in range(3)]
    tokens = [row[0] for row in rows]
    assert len(set(map(str, tokens))) == 3  # a fresh uuid4 for every row
    assert [row[2:] for row in rows] == [("x", None)] * 3
    given = uuid.UUID(int=7)
    assert str(rawwrite.row_values(columns, {"token": given})[0]).replace("-", "") == given.hex

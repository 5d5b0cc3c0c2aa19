"""Two API schemas with one class name would share one OpenAPI component: Ninja keeps one of
them, and the other endpoint's answers are then described by the wrong schema (the fuzz tests
saw the staff `GET /api/v1/me` checked against the applicant's `MeOut`). Every schema class of
the API modules that is a component must have a name of its own."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from ninja import Schema

import onewindow.api


def test_every_api_schema_class_name_is_unique() -> None:
    seen: dict[str, str] = {}
    clashes = []
    for module_info in pkgutil.iter_modules(onewindow.api.__path__):
        if module_info.name in ("tests",):
            continue
        module = importlib.import_module(f"onewindow.api.{module_info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, Schema) or cls is Schema or cls.__module__ != module.__name__:
                continue
            if name.endswith("Filter"):  # query filters become parameters, not components
                continue
            where = f"{cls.__module__}.{name}"
            if name in seen and seen[name] != where and not _same(seen[name], where):
                clashes.append((seen[name], where))
            seen.setdefault(name, where)
    assert not clashes


def _same(a: str, b: str) -> bool:
    """The same fields and types (a shared error shape written twice) do no harm."""
    first, second = (_cls(x) for x in (a, b))
    return first.model_json_schema() == second.model_json_schema()


def _cls(dotted: str) -> type[Schema]:
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]

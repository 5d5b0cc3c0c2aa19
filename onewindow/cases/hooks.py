"""What other apps do when a case's status changes, inside the same transaction: a bundle case
(onewindow.approvals) notices that a sub-case was decided and opens its next phase or completes
(ADR 0026). Apps register their hook in `AppConfig.ready()`; cases never imports them.

A hook is called by `persistence.write` when a case's status changed (and after every write of
a bundle's sub-case, `Case.joint`), after the case's rows are written and before the caller's
COMMIT, with the case, its status before the write ("" for a new case), the moment of
the work and its actor. What a hook writes commits or rolls back with the case; an error it
raises fails the case's action.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from onewindow.cases.models import Case
from onewindow.org.models import User

StatusChanged = Callable[[Case, str, dt.datetime, User | None], None]

_hooks: list[StatusChanged] = []


def register_status_changed(hook: StatusChanged) -> None:
    if hook not in _hooks:
        _hooks.append(hook)


def unregister_status_changed(hook: StatusChanged) -> None:
    if hook in _hooks:
        _hooks.remove(hook)


def status_changed(case: Case, before: str, now: dt.datetime, actor: User | None) -> None:
    for hook in list(_hooks):
        hook(case, before, now, actor)

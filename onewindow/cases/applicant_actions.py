"""What the applicant does to their own case without a staff member: withdraw it (撤回申请).

The state table (`transitions.py`) lists who performs each action by staff permission; the
applicant is not a staff account, so the online hall's "withdraw" comes here instead of
`services.case_act`. It runs the same steps as `case_act` (lock, version, table, guards,
parameters, the same effect, one event, one write) and differs in one place only: the actor.
Whoever calls it must have checked that the caller is the case's applicant (the online hall:
`onewindow.online.my_cases`). The event's actor is recorded by name (`actor_name`) with
`"by": "applicant"` in its data; its staff actor is empty.

A bundle's sub-case (`Case.joint`) is not withdrawn on its own: the bundle speaks for it.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.calendar.selectors import table as calendar_table
from onewindow.cases import persistence
from onewindow.cases import transitions as T
from onewindow.cases.effects import apply
from onewindow.cases.guards import guard
from onewindow.cases.models import Case
from onewindow.cases.params import clean_params
from onewindow.cases.work import Work
from onewindow.core import clock
from onewindow.core.errors import Conflict, InvalidTransition, PermissionDenied

# The statuses from which the applicant may withdraw: those of the table's withdraw row.
WITHDRAWABLE: frozenset[str] = frozenset(status for (status, action) in T.TABLE if action == T.WITHDRAW)


def applicant_may_withdraw(case: Case) -> bool:
    return case.status in WITHDRAWABLE and not case.joint


@transaction.atomic
def case_withdraw_by_applicant(*, case: Case | int, version: int, reason: str, actor_name: str) -> Case:
    """Withdraw `case` for its applicant (`actor_name`: who, as recorded in the history).
    Raises Conflict (stale version), InvalidTransition (not withdrawable now), PermissionDenied
    (a bundle's sub-case), ValidationFailed (no reason)."""
    locked, all_steps = persistence.lock_case(case)
    if version is None or int(version) != locked.version:
        raise Conflict(
            _("The case was changed by someone else; reload it and try again."),
            details={"version": locked.version},
        )
    T.transition_for(locked.status, T.WITHDRAW)
    if locked.joint:
        raise PermissionDenied(
            _("This case is part of a bundle: withdraw the bundle's application instead."),
            code="bundle_sub_case",
        )
    now = clock.now()
    steps = all_steps if locked.accepted_on else []
    why = guard(locked, T.WITHDRAW, steps, now)
    if why is not None:
        raise InvalidTransition(why, details={"status": locked.status, "action": T.WITHDRAW})
    cleaned = clean_params(T.WITHDRAW, {"reason": reason})
    work = Work(case=locked, actor=None, now=now, table=calendar_table(), steps=steps)
    apply(work, T.WITHDRAW, cleaned)
    for event in work.events:
        event.actor_name = actor_name[:150]
        event.data = {**event.data, "by": "applicant"}
    persistence.write(work)
    return locked

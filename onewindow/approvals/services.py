"""Writing bundle cases (一件事办件): the public entry points, each one transaction.

* `bundle_case_intake`: one application at one window — the bundle, the situation answers, the
  applicant, the single form, the de-duplicated materials — answered in the same sitting with
  accept (the first phase's sub-cases open: ordinary cases of their departments, one acceptance
  moment), correct (one merged one-time notice) or refuse.
* `bundle_case_act`: an action of `transitions.TABLE` on an existing bundle case, with the
  client's `version` (stale → Conflict): accept or refuse after a correction, the merged
  correction during processing, the joint extension, the one delivery.

The sub-cases keep their own actions (`cases.services.case_act`); their results reach the bundle
through the cases hook (`progress.sub_case_status_changed`). Lock order everywhere: the
sub-cases' rows, then the bundle case's row (the hook comes from a sub-case's action).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.approvals import corrections, delivery, extensions, plan, window_actions
from onewindow.approvals import transitions as T
from onewindow.approvals.models import BundleCase
from onewindow.approvals.permissions import actor_may
from onewindow.cases import clock as case_clock
from onewindow.cases import numbers
from onewindow.cases.applicants import applicant_errors
from onewindow.cases.models import Case, CaseNumberSequence
from onewindow.cases.permissions import Actor, has_perm, may_accept_for, window_of
from onewindow.core import clock
from onewindow.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from onewindow.org.models import Center, User, Window

Handler = Callable[[window_actions.Act], None]

HANDLERS: dict[str, Handler] = {
    T.ACCEPT: window_actions.accept_after_correction,
    T.REFUSE: window_actions.refuse_after_correction,
    T.DELIVER: delivery.deliver,
    T.REQUEST_CORRECTION: corrections.request_correction,
    T.RECEIVE_CORRECTION: corrections.receive_correction,
    T.REQUEST_EXTENSION: extensions.request_extension,
    T.APPROVE_EXTENSION: extensions.approve_extension,
    T.REJECT_EXTENSION: extensions.reject_extension,
}


def register_action(action: str, handler: Handler) -> None:
    """The handler of a table action kept in its own module (corrections, extensions)."""
    HANDLERS[action] = handler


def _bundle_window(
    actor: Actor, window: Window | None, center: Center, lead_department_id: int
) -> Window | None:
    if not isinstance(actor, User) or not has_perm(actor, T.ACCEPT_CASE):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": T.ACCEPT_CASE})
    if actor.center_id != center.pk or (window is not None and window.center_id != center.pk):
        raise PermissionDenied(_("You work at another center."))
    effective = window if window is not None else window_of(actor)
    if not may_accept_for(actor, lead_department_id, effective):
        raise PermissionDenied(
            _("A bundle is accepted at a general window or a window of its lead department.")
        )
    return effective


def bundle_case_intake(
    *,
    actor: Actor,
    center: Center,
    bundle_code: str,
    answers: dict[str, Any],
    applicant: dict[str, Any],
    form: dict[str, Any],
    materials: list[Any],
    action: str,
    note: str = "",
    correction_items: list[Any] | None = None,
    window: Window | None = None,
    delivery_method: str = "pickup",
) -> BundleCase:
    """Receive a bundle application and answer it (accept / correct / refuse); see the module."""
    if action not in ("accept", "correct", "refuse"):
        raise ValidationFailed(
            _("Choose accept, correct or refuse."),
            details={"action": [_("Choose accept, correct or refuse.")]},
        )
    bundle = plan.active_bundle(center, bundle_code)
    window = _bundle_window(actor, window, center, bundle.lead_department_id)
    cleaned_applicant, errors = applicant_errors(applicant)
    if delivery_method not in Case.DeliveryMethod.values:
        errors["delivery_method"] = [_("Choose pickup or mail.")]
    if len(note or "") > 2000:
        errors["note"] = [_("At most %(n)s characters.") % {"n": 2000}]
    if action == "refuse" and not (note or "").strip():
        errors["note"] = [_("The reason is required.")]
    items: list[dict[str, str]] = []
    if action == "correct":
        items, item_errors = window_actions.clean_correction_items(correction_items)
        errors.update(item_errors)
    the_plan = None
    try:
        the_plan = plan.build_plan(bundle, answers=answers or {}, form=form or {}, materials=materials or [])
    except ValidationFailed as exc:
        errors.update(exc.details or {})
    if the_plan is not None and action == "accept":
        missing = plan.missing_required(the_plan.materials, {bi.code for bi in the_plan.items})
        if missing and not (note or "").strip():
            errors.setdefault("note", []).append(
                _(
                    "Required materials are missing: %(names)s. Ask for a correction, "
                    "or explain in the note why the bundle is accepted without them."
                )
                % {"names": "、".join(missing)}
            )
    if errors or the_plan is None:
        raise ValidationFailed(_("Check the application."), details=errors)
    now = clock.now()
    status = {
        "accept": BundleCase.Status.IN_PROGRESS,
        "correct": BundleCase.Status.CORRECTION_REQUESTED,
        "refuse": BundleCase.Status.REFUSED,
    }[action]
    # Everything up to here, and building the sub-cases' intakes, only reads: the transaction
    # (and SQLite's write lock) starts with the number.
    draft = window_actions.build(
        the_plan,
        center=center,
        window=window,
        actor=actor,
        applicant=cleaned_applicant,
        answers={str(k): v for k, v in (answers or {}).items()},
        delivery_method=delivery_method,
        note=(note or "").strip(),
        now=now,
        status=status,
    )
    with transaction.atomic():
        number = numbers.take(
            center_id=center.pk,
            center_code=center.code,
            wanted={CaseNumberSequence.Kind.CASE: case_clock.local_date(now)},
        )[CaseNumberSequence.Kind.CASE]
        bundle_case = window_actions.save(draft, number=number, now=now)
        act = window_actions.Act(bundle_case=bundle_case, actor=actor, now=now, params={})
        if action == "accept":
            window_actions.accept(act, draft=draft)
        elif action == "correct":
            window_actions.request_correction_at_intake(act, items)
        else:
            window_actions.refuse(act, reason=(note or "").strip(), first=True)
    return bundle_case


def lock(bundle_case: BundleCase | int | str) -> BundleCase:
    """The bundle case (a BundleCase, its id or its number) under its row lock, after the rows
    of its sub-cases (the lock order of every bundle write)."""
    if isinstance(bundle_case, BundleCase):
        pk: int | None = bundle_case.pk
    elif isinstance(bundle_case, int):
        pk = bundle_case
    else:
        value = numbers.parse_case_number(bundle_case)
        pk = BundleCase.objects.filter(number=value).values_list("pk", flat=True).first()
    if pk is None or not BundleCase.objects.filter(pk=pk).exists():
        raise NotFound(_("No such bundle case."))
    list(
        Case.objects.select_for_update()
        .filter(bundle_link__bundle_case_id=pk)
        .order_by("pk")
        .values_list("pk")
    )
    from onewindow.approvals.progress import lock_bundle_case

    return lock_bundle_case(pk)


@transaction.atomic
def bundle_case_act(
    *, bundle_case: BundleCase | int | str, action: str, version: int, actor: Actor, **params: Any
) -> BundleCase:
    """Perform `action` (transitions.TABLE) on the bundle case; `version` is the one the client
    saw (stale → Conflict). Raises InvalidTransition, PermissionDenied, ValidationFailed,
    NotFound, Conflict; on any error nothing is written."""
    locked = lock(bundle_case)
    if version is None or int(version) != locked.version:
        raise Conflict(
            _(
                "The bundle case was changed by someone else (version %(theirs)s, you have %(yours)s); "
                "reload it and try again."
            )
            % {"theirs": locked.version, "yours": version},
            details={"version": locked.version},
        )
    target, permission = T.transition_for(locked.status, action)
    why = actor_may(actor, locked, action, permission)
    if why is not None:
        raise PermissionDenied(why)
    handler = HANDLERS.get(action)
    if handler is None:  # pragma: no cover - every table action has its handler
        raise NotImplementedError(action)
    handler(
        window_actions.Act(bundle_case=locked, actor=actor, now=clock.now(), params=params, target=target)
    )
    return locked

"""Writes of the supervision app: threshold rules, supervision orders (督办) and accountability
records (问责). Every change is checked, scoped and audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.calendar.selectors import table as calendar_table
from onewindow.cases import clock as case_clock
from onewindow.cases.models import Case
from onewindow.cases.services import case_recompute_deadlines
from onewindow.catalog.models import ServiceItem
from onewindow.core import audit, clock
from onewindow.core.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from onewindow.org.selectors import scope_queryset
from onewindow.supervision import selectors
from onewindow.supervision.models import AccountabilityRecord, Reminder, SupervisionOrder, SupervisionRule
from onewindow.supervision.resolution import request_full_resolution
from onewindow.supervision.routing import routes_for_cases

SUPERVISE = "supervision.supervise"
APPEAL = "supervision.appeal_accountability"
MAX_REPLY_DAYS = 30
TEXT_MAX = 2000

OrderStatus = SupervisionOrder.Status
RecordStatus = AccountabilityRecord.Status


def _require(actor: Any, perm: str) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(perm):
        raise PermissionDenied(_("You are not allowed to do this."))


def _text(field: str, value: Any, label: str) -> str:
    text = (value or "").strip() if isinstance(value, str) or value is None else str(value).strip()
    if not text:
        raise ValidationFailed(_("Enter %(label)s.") % {"label": label}, details={field: [_("Required.")]})
    if len(text) > TEXT_MAX:
        raise ValidationFailed(
            _("%(label)s is too long.") % {"label": label},
            details={field: [_("At most %(n)s characters.") % {"n": TEXT_MAX}]},
        )
    return text


def _lock_in_scope(model: type[Any], obj: Any, actor: Any) -> Any:
    """Lock the row if the actor may see it, else NotFound (no existence leak)."""
    pk = obj.pk if hasattr(obj, "pk") else obj
    # orders and records are scoped through their department: one about a subject that is not
    # a case (issue 15) has no case
    qs = scope_queryset(
        model.objects.select_for_update(of=("self",)), actor, center_field="department__center"
    )
    found = qs.filter(pk=pk).first()
    if found is None:
        raise NotFound(_("Not found."))
    return found


# --- rules ---------------------------------------------------------------------------------------


@transaction.atomic
def supervision_rule_save(
    *,
    actor: Any,
    yellow_days: int,
    yellow_percent: int,
    supervise_instant: bool = False,
    item: ServiceItem | None = None,
    remind_by_sms: bool = False,
) -> SupervisionRule:
    """Create or change the yellow threshold of the actor's center (or of one item of it), then
    recompute warn_at of the open cases it governs. `remind_by_sms`: reminders (催办) under this
    rule are also texted to the step's handler through the outbox."""
    _require(actor, SUPERVISE)
    errors: dict[str, list[str]] = {}
    if not isinstance(yellow_days, int) or not 0 <= yellow_days <= 30:
        errors["yellow_days"] = [_("Enter 0 to 30 working days.")]
    if not isinstance(yellow_percent, int) or not 0 <= yellow_percent <= 100:
        errors["yellow_percent"] = [_("Enter 0 to 100 percent.")]
    if not isinstance(remind_by_sms, bool):
        errors["remind_by_sms"] = [_("Enter yes or no.")]
    if item is not None and item.center_id != actor.center_id:
        errors["item"] = [_("This item belongs to another center.")]
    if errors:
        raise ValidationFailed(_("Check the threshold."), details=errors)
    rule = SupervisionRule.objects.select_for_update().filter(center_id=actor.center_id, item=item).first()
    before = None
    if rule is None:
        rule = SupervisionRule(center_id=actor.center_id, item=item)
    else:
        before = {
            "yellow_days": rule.yellow_days,
            "yellow_percent": rule.yellow_percent,
            "supervise_instant": rule.supervise_instant,
            "remind_by_sms": rule.remind_by_sms,
        }
    rule.yellow_days = yellow_days
    rule.yellow_percent = yellow_percent
    rule.supervise_instant = supervise_instant
    rule.remind_by_sms = remind_by_sms
    rule.updated_at = clock.now()
    rule.save()
    after = {
        "yellow_days": yellow_days,
        "yellow_percent": yellow_percent,
        "supervise_instant": supervise_instant,
        "remind_by_sms": remind_by_sms,
    }
    audit.record(action="supervision.rule_save", obj=rule, before=before, after=after, actor=actor)
    selectors.forget_thresholds()
    if item is not None:
        ids = list(
            Case.objects.filter(center_id=actor.center_id, item_version__item=item).values_list(
                "pk", flat=True
            )
        )
        case_recompute_deadlines(case_ids=ids)
    else:
        case_recompute_deadlines(center_id=actor.center_id)
    # the recomputation moved deadlines without case events: the next sweep re-checks every flag
    request_full_resolution()
    return rule


# --- reminders -----------------------------------------------------------------------------------


@transaction.atomic
def reminder_mark_read(*, reminder: Reminder | int, actor: Any) -> Reminder:
    """Mark a reminder (催办) read by one of the people it is addressed to (its handler, or a
    holder of its post in whose scope it lies); marking it again changes nothing."""
    pk = reminder.pk if isinstance(reminder, Reminder) else reminder
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("You are not allowed to do this."))
    if not selectors.reminders_for(actor).filter(pk=pk).exists():
        raise NotFound(_("Not found."))
    found = Reminder.objects.select_for_update().get(pk=pk)
    if found.read_at is None:
        found.read_at = clock.now()
        found.save(update_fields=["read_at"])
    return found


# --- supervision orders --------------------------------------------------------------------------


@transaction.atomic
def order_issue(*, case: Case, actor: Any, demand: str, reply_days: int) -> SupervisionOrder:
    """A supervisor issues a supervision order on a case in the actor's scope. It goes to who
    must act on the case's active step (routing.py), the department chief only failing them."""
    _require(actor, SUPERVISE)
    found = scope_queryset(Case.objects.all(), actor).filter(pk=case.pk).first()
    if found is None:
        raise NotFound(_("No such case."))
    demand = _text("demand", demand, _("the demand"))
    if not isinstance(reply_days, int) or not 1 <= reply_days <= MAX_REPLY_DAYS:
        raise ValidationFailed(
            _("The reply deadline must be 1 to %(n)s working days.") % {"n": MAX_REPLY_DAYS},
            details={"reply_days": [_("Enter 1 to %(n)s.") % {"n": MAX_REPLY_DAYS}]},
        )
    now = clock.now()
    route = routes_for_cases([found.pk])[found.pk]
    order = SupervisionOrder.objects.create(
        case=found,
        department_id=found.department_id,
        step_id=route.step_id,
        post_id=route.post_id,
        handler_id=route.handler_id,
        to_chief=route.to_chief,
        issuer=actor,
        demand=demand,
        issued_at=now,
        reply_due_at=case_clock.end_of_nth_working_day(
            calendar_table(), case_clock.local_date(now), reply_days
        ),
    )
    audit.record(
        action="supervision.order_issue",
        obj=order,
        after={
            "case": found.number,
            "demand": demand,
            "reply_due_at": order.reply_due_at.isoformat(),
            "step": route.step_id,
            "post": route.post_id,
            "handler": route.handler_id,
            "to_chief": route.to_chief,
        },
        actor=actor,
    )
    return order


def _order_transition(
    order: SupervisionOrder, actor: Any, allowed: tuple[str, ...], action: str
) -> SupervisionOrder:
    locked = _lock_in_scope(SupervisionOrder, order, actor)
    if locked.status not in allowed:
        raise InvalidTransition(
            _("This supervision order is %(status)s: it cannot be %(action)s.")
            % {"status": locked.get_status_display(), "action": action},
            details={"status": locked.status},
        )
    return locked


@transaction.atomic
def order_reply(*, order: SupervisionOrder, actor: Any, reply: str) -> SupervisionOrder:
    """Who the order went to replies (its handler, a holder of its post: routing.py), or staff
    who may appeal, or a supervisor."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("You are not allowed to do this."))
    pk = order.pk if isinstance(order, SupervisionOrder) else order
    if not (
        actor.has_perm(APPEAL)
        or actor.has_perm(SUPERVISE)
        or selectors.orders_for(actor).filter(pk=pk).exists()
    ):
        raise PermissionDenied(_("You are not allowed to do this."))
    locked = _order_transition(order, actor, (OrderStatus.OPEN, OrderStatus.OVERDUE), _("replied"))
    before = {"status": locked.status}
    locked.reply = _text("reply", reply, _("the reply"))
    locked.replied_by = actor
    locked.replied_at = clock.now()
    locked.status = OrderStatus.REPLIED
    locked.save(update_fields=["reply", "replied_by", "replied_at", "status"])
    audit.record(
        action="supervision.order_reply",
        obj=locked,
        before=before,
        after={"status": locked.status},
        actor=actor,
    )
    return locked


@transaction.atomic
def order_close(*, order: SupervisionOrder, actor: Any, note: str) -> SupervisionOrder:
    _require(actor, SUPERVISE)
    locked = _order_transition(order, actor, (OrderStatus.REPLIED,), _("closed"))
    before = {"status": locked.status}
    locked.close_note = (note or "").strip()[:TEXT_MAX]
    locked.closed_by = actor
    locked.closed_at = clock.now()
    locked.status = OrderStatus.CLOSED
    locked.save(update_fields=["close_note", "closed_by", "closed_at", "status"])
    audit.record(
        action="supervision.order_close",
        obj=locked,
        before=before,
        after={"status": locked.status},
        actor=actor,
    )
    return locked


@transaction.atomic
def order_send_back(*, order: SupervisionOrder, actor: Any, note: str) -> SupervisionOrder:
    """The supervisor does not accept the reply: the order is open again (its reply deadline
    stays; past it the sweep marks it overdue)."""
    _require(actor, SUPERVISE)
    locked = _order_transition(order, actor, (OrderStatus.REPLIED,), _("sent back"))
    before = {"status": locked.status, "reply": locked.reply}
    locked.sent_back_note = _text("note", note, _("the reason for sending it back"))
    locked.sent_back_count += 1
    locked.status = OrderStatus.OVERDUE if locked.reply_due_at < clock.now() else OrderStatus.OPEN
    locked.save(update_fields=["sent_back_note", "sent_back_count", "status"])
    audit.record(
        action="supervision.order_send_back",
        obj=locked,
        before=before,
        after={"status": locked.status, "note": locked.sent_back_note},
        actor=actor,
    )
    return locked


# --- accountability ------------------------------------------------------------------------------


@transaction.atomic
def accountability_appeal(*, record: AccountabilityRecord, actor: Any, reason: str) -> AccountabilityRecord:
    """The department appeals an active record (once)."""
    _require(actor, APPEAL)
    locked = _lock_in_scope(AccountabilityRecord, record, actor)
    if locked.status != RecordStatus.ACTIVE:
        raise InvalidTransition(
            _("Only an active accountability record can be appealed."), details={"status": locked.status}
        )
    locked.appeal_reason = _text("reason", reason, _("the reason of the appeal"))
    locked.appealed_by = actor
    locked.appealed_at = clock.now()
    locked.status = RecordStatus.APPEALED
    locked.save(update_fields=["appeal_reason", "appealed_by", "appealed_at", "status"])
    audit.record(
        action="supervision.accountability_appeal",
        obj=locked,
        before={"status": RecordStatus.ACTIVE},
        after={"status": locked.status, "reason": locked.appeal_reason},
        actor=actor,
    )
    return locked


@transaction.atomic
def accountability_decide(
    *, record: AccountabilityRecord, actor: Any, uphold: bool, note: str
) -> AccountabilityRecord:
    """The supervisor decides an appeal: upheld, or revoked (the record stays, marked revoked)."""
    _require(actor, SUPERVISE)
    locked = _lock_in_scope(AccountabilityRecord, record, actor)
    if locked.status != RecordStatus.APPEALED:
        raise InvalidTransition(
            _("Only an appealed accountability record can be decided."), details={"status": locked.status}
        )
    locked.decision_note = _text("note", note, _("the decision note"))
    locked.decided_by = actor
    locked.decided_at = clock.now()
    locked.status = RecordStatus.UPHELD if uphold else RecordStatus.REVOKED
    locked.save(update_fields=["decision_note", "decided_by", "decided_at", "status"])
    audit.record(
        action="supervision.accountability_decide",
        obj=locked,
        before={"status": RecordStatus.APPEALED},
        after={"status": locked.status, "note": locked.decision_note},
        actor=actor,
    )
    return locked


__all__ = [
    "accountability_appeal",
    "accountability_decide",
    "order_close",
    "order_issue",
    "order_reply",
    "order_send_back",
    "supervision_rule_save",
]

"""The department's pre-review (网上预审) of an online application, in one transaction:

* pass → the case is accepted at once (`pre_review_pass` then `accept`): its number and the
  electronic acceptance notice;
* pass_originals → `pre_review_pass` only (预审通过，到窗口核验原件): the window accepts it in one
  visit; the applicant is told where and what to bring (SMS);
* return → a structured correction list from the item's materials, everything at once (the
  one-time notice of `request_correction`); the applicant resubmits online (a new round);
* refuse → `refuse` with the reason and the applicant's rights.

Every round is a `PreReviewRound`. Two reviewers deciding at once: the application's row is
locked and its version compared, so one succeeds and the other gets a Conflict (409). The case
engine's own messages tell the applicant of acceptance, correction and refusal; passing with
originals sends `online_bring_originals`.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.cases import services as case_services
from onewindow.cases import transitions as T
from onewindow.cases.messages import message_context
from onewindow.cases.models import Case
from onewindow.cases.permissions import sees_case
from onewindow.core import audit, clock
from onewindow.core.errors import Conflict, PermissionDenied, ValidationFailed
from onewindow.notifications.services import message_enqueue
from onewindow.online import bundles, selectors
from onewindow.online.models import OnlineApplication, PreReviewRound, PreReviewSetting
from onewindow.org.models import User

Outcome = PreReviewRound.Outcome
Status = OnlineApplication.Status
OUTCOMES = tuple(Outcome.values)


@transaction.atomic
def application_prereview(
    *,
    actor: User,
    pk: int,
    outcome: str,
    version: Any,
    corrections: Any = None,
    reason: str = "",
) -> OnlineApplication:
    """Decide the current round of application `pk` (see the module). `corrections`: for a
    return, [{"material": id, "note": "what is wrong"}]; `reason`: required to refuse (and for a
    second return of the same case), the opinion otherwise."""
    if not actor.has_perm(selectors.PERMISSION):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": selectors.PERMISSION})
    selectors.reviewable(actor, pk)  # NotFound outside the data scope
    application = OnlineApplication.objects.select_for_update().get(pk=pk)
    if version is None or str(version) != str(application.version):
        raise Conflict(
            _("Someone else decided or changed this application (version %(theirs)s): reload it.")
            % {"theirs": application.version},
            code="stale_version",
            details={"version": application.version},
        )
    is_bundle = bool(application.bundle_code)
    if application.status != Status.SUBMITTED or (application.case_id is None and not is_bundle):
        raise Conflict(
            _("This application is not awaiting pre-review."),
            code="not_in_prereview",
            details={"status": application.status},
        )
    errors: dict[str, list[str]] = {}
    reason = str(reason or "").strip()
    if outcome not in OUTCOMES:
        errors["outcome"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(OUTCOMES)}]
    if outcome == Outcome.REFUSE and not reason:
        errors["reason"] = [_("Give the reason for the refusal.")]
    if outcome != Outcome.RETURN and corrections:
        errors["corrections"] = [_("A correction list goes with a return only.")]
    if len(reason) > 2000:
        errors["reason"] = [_("Too long (%(n)s characters at most).") % {"n": 2000}]
    if errors:
        raise ValidationFailed(_("Check the pre-review."), details=errors)
    if is_bundle or application.case_id is None:
        return _decide_bundle(actor, application, outcome, corrections, reason)
    case = Case.objects.get(pk=application.case_id)
    if not sees_case(actor, case):
        raise PermissionDenied(_("This case is outside your data scope."))
    now = clock.now()
    items: list[dict[str, Any]] = []
    if outcome == Outcome.PASS:
        case = case_services.case_act(
            case=case, action=T.PRE_REVIEW_PASS, version=case.version, actor=actor, opinion=reason
        )
        case = case_services.case_act(
            case=case, action=T.ACCEPT, version=case.version, actor=actor, opinion=reason
        )
        application.status = Status.ACCEPTED
    elif outcome == Outcome.PASS_ORIGINALS:
        case = case_services.case_act(
            case=case, action=T.PRE_REVIEW_PASS, version=case.version, actor=actor, opinion=reason
        )
        application.status = Status.PASSED_ORIGINALS
        if case.applicant_phone:
            message_enqueue(
                template_code="online_bring_originals",
                recipient=case.applicant_phone,
                context=message_context(case),
                related_type="cases.case",
                related_id=str(case.pk),
            )
    elif outcome == Outcome.RETURN:
        try:
            case = case_services.case_act(
                case=case,
                action=T.REQUEST_CORRECTION,
                version=case.version,
                actor=actor,
                items=list(corrections) if isinstance(corrections, list | tuple) else corrections,
                reason=reason,
            )
        except ValidationFailed as exc:  # the engine names them "items"
            raise ValidationFailed(exc.message, code=exc.code, details=_renamed(exc.details)) from exc
        request = case.correction_requests.order_by("-issued_at", "-pk").first()
        items = list(request.items) if request is not None else []
        application.status = Status.RETURNED
    else:
        case = case_services.case_act(
            case=case, action=T.REFUSE, version=case.version, actor=actor, reason=reason
        )
        application.status = Status.REFUSED
    PreReviewRound.objects.filter(application=application, number=application.round).update(
        reviewed_at=now, reviewer=actor, outcome=outcome, corrections=items, reason=reason
    )
    application.decided_at = now
    application.updated_at = now
    application.prereview_due_at = None
    application.version += 1
    application.save()
    audit.record(
        action="online.prereview",
        obj=application,
        after={"outcome": outcome, "round": application.round, "corrections": [i["name"] for i in items]},
        actor=actor,
    )
    return application


def _decide_bundle(
    actor: User, application: OnlineApplication, outcome: str, corrections: Any, reason: str
) -> OnlineApplication:
    """A bundle's round (`bundles.bundle_prereview`), recorded like an item's."""
    status, items = bundles.bundle_prereview(
        actor=actor, application=application, outcome=outcome, corrections=corrections, reason=reason
    )
    now = clock.now()
    PreReviewRound.objects.filter(application=application, number=application.round).update(
        reviewed_at=now, reviewer=actor, outcome=outcome, corrections=items, reason=reason
    )
    application.status = status
    application.decided_at = now
    application.updated_at = now
    application.prereview_due_at = None
    application.version += 1
    application.save()
    audit.record(
        action="online.prereview",
        obj=application,
        after={
            "outcome": outcome,
            "round": application.round,
            "corrections": [i["name"] for i in items],
            "bundle_case": application.bundle_case.number if application.bundle_case else "",
        },
        actor=actor,
    )
    return application


def _renamed(details: Any) -> Any:
    if not isinstance(details, dict):
        return details
    return {
        ("corrections" + k[len("items") :] if k.startswith("items") else k): v for k, v in details.items()
    }


@transaction.atomic
def prereview_setting_save(*, actor: User, center_id: int, item_code: str, days: int) -> PreReviewSetting:
    """Set an item's pre-review clock (working days, 1 to 10) at a center; audited."""
    item_code = (item_code or "").strip()
    errors: dict[str, list[str]] = {}
    if not item_code:
        errors["item_code"] = [_("Enter the item code.")]
    if not isinstance(days, int) or not 1 <= days <= 10:
        errors["days"] = [_("Between 1 and 10 working days.")]
    if errors:
        raise ValidationFailed(_("Check the pre-review setting."), details=errors)
    before = PreReviewSetting.objects.filter(center_id=center_id, item_code=item_code).first()
    setting, _created = PreReviewSetting.objects.update_or_create(
        center_id=center_id, item_code=item_code, defaults={"days": days}
    )
    audit.record(
        action="online.prereview_setting",
        obj=setting,
        before={"days": before.days} if before else None,
        after={"item_code": item_code, "days": days},
        actor=actor,
    )
    return setting

"""Writing evaluations. `evaluation_submit` is the one way an evaluation is stored, whatever
the channel (window evaluator, QR link, SMS link, "my cases", phone call-back): one transaction
that locks the occasion, refuses a second evaluation (409), a closed occasion (409), a level or
tag that is not ours (422) and a 差评 without a tag or a text (422), stores the evaluation,
marks the occasion evaluated and opens the rectification of a 差评.

The evaluation row is its own record of who (device, applicant, or recording supervisor and
caller), when and from where (client address); it is never updated except to be voided
(rectifications), which is audited.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from onewindow.core import clock
from onewindow.core.errors import Conflict, NotFound, ValidationFailed
from onewindow.feedback.codes import BAD_LEVELS, TEMPLATE_KIND_BY_CHANNEL, Channel, Level
from onewindow.feedback.models import Evaluation, EvaluationTemplate, EvaluatorDevice, ServiceOccasion
from onewindow.feedback.rectifications import rectification_open

TEXT_MAX = 500


def active_template(kind: str) -> EvaluationTemplate:
    # one active template per kind (a unique constraint): no ordering to compile or sort
    found = list(EvaluationTemplate.objects.filter(kind=kind, active=True).order_by()[:1])
    template = found[0] if found else None
    if template is None:
        raise NotFound(_("No evaluation template is in use."), code="no_template")
    return template


def _clean(level: Any, tags: Any, text: Any, template: EvaluationTemplate) -> tuple[str, list[str], str]:
    details: dict[str, list[str]] = {}
    if level not in Level.values:
        details["level"] = [
            _("Choose one of: %(levels)s.") % {"levels": ", ".join(str(v) for v in Level.values)}
        ]
    if tags is None:
        tags = []
    allowed = template.codes()
    if not isinstance(tags, list) or any(not isinstance(t, str) or t not in allowed for t in tags):
        details["tags"] = [_("Choose indicators from: %(tags)s.") % {"tags": ", ".join(allowed)}]
        tags = []
    text = (text if isinstance(text, str) else "").strip()
    if len(text) > TEXT_MAX:
        details["text"] = [_("Enter at most %(max_length)s characters.") % {"max_length": TEXT_MAX}]
    if details:
        raise ValidationFailed(_("Check the evaluation."), code="invalid_evaluation", details=details)
    if level in BAD_LEVELS and not tags and not text:
        raise ValidationFailed(
            _("A dissatisfied rating needs a reason: choose an indicator or write what went wrong."),
            code="bad_rating_needs_reason",
            details={"tags": [_("Choose an indicator or write a comment.")]},
        )
    return str(level), list(dict.fromkeys(tags)), text


def evaluation_submit(
    *,
    occasion: ServiceOccasion | int,
    level: Any,
    tags: Any,
    text: Any,
    channel: str,
    device: EvaluatorDevice | None = None,
    applicant: Any = None,
    recorded_by: Any = None,
    caller: str = "",
    client_ip: str | None = None,
) -> Evaluation:
    if channel not in Channel.values:
        raise ValidationFailed(_("Unknown evaluation channel."), code="invalid_channel")
    occasion_id = occasion if isinstance(occasion, int) else occasion.pk
    now = clock.now()
    # what needs no lock is read and checked before the write transaction (on SQLite the
    # transaction holds the database's write lock from its start)
    template = active_template(TEMPLATE_KIND_BY_CHANNEL[channel])
    level, tags, text = _clean(level, tags, text, template)
    try:
        with transaction.atomic():
            rows = list(ServiceOccasion.objects.select_for_update().filter(pk=occasion_id).order_by()[:1])
            locked = rows[0] if rows else None
            if locked is None:
                raise NotFound(_("No such service occasion."), code="occasion_not_found")
            if locked.evaluated_at is not None:
                raise Conflict(_("This service has already been evaluated."), code="already_evaluated")
            if locked.closes_at <= now:
                raise Conflict(_("This service can no longer be evaluated."), code="evaluation_closed")
            evaluation = Evaluation.objects.create(
                occasion=locked,
                level=level,
                tags=tags,
                text=text,
                channel=channel,
                template=template,
                submitted_at=now,
                bad=level in BAD_LEVELS,
                real_name=locked.case_id is not None or applicant is not None,
                device=device,
                applicant=applicant,
                recorded_by=recorded_by,
                caller=caller[:60],
                client_ip=client_ip or None,
            )
            ServiceOccasion.objects.filter(pk=locked.pk).update(evaluated_at=now)
            locked.evaluated_at = now
            if evaluation.bad:
                rectification_open(evaluation=evaluation, now=now)
    except IntegrityError as exc:  # the one-to-one column: another evaluation won the race
        raise Conflict(_("This service has already been evaluated."), code="already_evaluated") from exc
    return evaluation

"""Demo evaluations (好差评) of the demo history: about 60 % of the accepted and completed
occasions of the center's cases are evaluated, mostly satisfied, a few 差评 with indicators and
a comment; the rest stay unevaluated (never a default rating).

Every evaluation goes through `feedback.services.evaluation_submit` under `core.clock.frozen_at`
set to when the applicant gave it (minutes to three days after the service, and before the
occasion closed and before now). Seeded by the occasion's id: the same history gives the same
evaluations. Idempotent: a center whose occasions already have evaluations gets none more.
Called by the demo loader (history) as `load(center)`.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction

from onewindow.core import clock
from onewindow.core.errors import Conflict
from onewindow.feedback.codes import Channel, TemplateKind
from onewindow.feedback.models import Evaluation, ServiceOccasion
from onewindow.feedback.services import evaluation_submit
from onewindow.org.models import Center

SHARE = 0.6
# level → weight (of the evaluated ones): mostly satisfied, a few 差评
LEVELS = (
    ("very_satisfied", 55),
    ("satisfied", 28),
    ("basically_satisfied", 11),
    ("dissatisfied", 4),
    ("very_dissatisfied", 2),
)
BAD_TEXTS = (
    "窗口排队等候时间较长，希望增加高峰时段窗口。",
    "工作人员解释不够清楚，补正材料跑了两次。",
    "网上填报页面操作复杂，上传材料多次失败。",
    "办理进度没有及时告知。",
)
GOOD_TEXTS = ("工作人员态度很好，办理很快。", "一次就办好了，点赞！", "指引清楚，服务热情。")
CHANNELS = {
    TemplateKind.OFFLINE: ((Channel.QR_CODE, 6), (Channel.SMS, 4)),
    TemplateKind.ONLINE: ((Channel.MOBILE, 6), (Channel.PC, 4)),
}
ONLINE_TAGS = {"bad": ("efficiency", "usability", "convenience"), "good": ("overall", "convenience")}
OFFLINE_TAGS = {"bad": ("efficiency", "attitude", "skill"), "good": ("overall", "attitude")}


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def load(center: Center) -> dict[str, Any]:
    occasions = ServiceOccasion.objects.filter(
        center=center,
        case__isnull=False,
        kind__in=(ServiceOccasion.Kind.ACCEPTED, ServiceOccasion.Kind.COMPLETED),
    )
    if Evaluation.objects.filter(occasion__in=occasions).exists():
        return {"evaluations": 0}
    now = clock.now()
    made = 0
    for occasion in occasions.order_by("at", "id").iterator():
        rng = random.Random(occasion.pk * 7919)
        if rng.random() >= SHARE:
            continue  # not evaluated: no row
        at = occasion.at + dt.timedelta(minutes=rng.randint(2, 3 * 24 * 60))
        if at >= min(occasion.closes_at, now):
            continue
        level = _pick(rng, LEVELS)
        bad = level in ("dissatisfied", "very_dissatisfied")
        channel = _pick(rng, CHANNELS[TemplateKind(occasion.template_kind)])
        pool = (ONLINE_TAGS if occasion.template_kind == TemplateKind.ONLINE else OFFLINE_TAGS)[
            "bad" if bad else "good"
        ]
        tags = rng.sample(pool, k=rng.randint(1, 2)) if bad or rng.random() < 0.3 else []
        text = rng.choice(BAD_TEXTS) if bad else (rng.choice(GOOD_TEXTS) if rng.random() < 0.15 else "")
        try:
            with clock.frozen_at(at), transaction.atomic():
                evaluation_submit(occasion=occasion.pk, level=level, tags=tags, text=text, channel=channel)
        except Conflict:
            continue
        made += 1
    return {"evaluations": made}

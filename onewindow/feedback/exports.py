"""File exports of evaluations in the two external codings (codes.py), as CSV.

* `gbt39046`: GB/T 39046-2020 — the level as A.8 (1 = 非常满意 … 5 = 非常不满意), the channel as
  表9's code; voided evaluations are included, marked voided.
* `national`: the national 好差评 upload — the level as 5 = best … 1 = worst, 差评 = below 3;
  voided evaluations (误评/恶意, approved by a supervisor) are left out.

Each format is a table of (column header, value of an evaluation): the columns are data, tested
row by row. Personal data never leaves: no applicant name, ID number or phone; the comment is
masked (`core.masking.mask_free_text`). Cells that a spreadsheet would run as a formula are
quoted. The rows are the evaluations submitted in the date range (local dates, inclusive).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from onewindow.core import clock
from onewindow.core.masking import mask_free_text
from onewindow.feedback.codes import GBT39046_CHANNEL, GBT39046_CODE, NATIONAL_CODE
from onewindow.feedback.models import Evaluation, ServiceOccasion
from onewindow.org.selectors import scope_queryset

GBT39046 = "gbt39046"
NATIONAL = "national"
FORMATS = (GBT39046, NATIONAL)
# the national platform: below 3 is a 差评
NATIONAL_BAD_BELOW = 3

Column = tuple[str, Callable[[Evaluation], Any]]


def _time(value: dt.datetime | None) -> str:
    return clock.local(value).strftime("%Y-%m-%d %H:%M:%S") if value is not None else ""


def _case_number(e: Evaluation) -> str:
    case = e.occasion.case
    return (case.display_number or "") if case is not None else ""


def _item_name(e: Evaluation) -> str:
    case = e.occasion.case
    return case.item_version.name if case is not None else ""


def _department(e: Evaluation) -> str:
    department = e.occasion.department
    return department.name if department is not None else ""


def _window(e: Evaluation) -> str:
    window = e.occasion.window
    return window.code if window is not None else ""


def _tag_labels(e: Evaluation) -> str:
    labels = {str(i["code"]): str(i["label"]) for i in e.template.indicators}
    return "；".join(labels.get(t, t) for t in e.tags)


def _kind(e: Evaluation) -> str:
    return str(ServiceOccasion.Kind(e.occasion.kind).label)


COLUMNS: dict[str, tuple[Column, ...]] = {
    GBT39046: (
        ("评价编号", lambda e: e.pk),
        ("办件编号", _case_number),
        ("取号号码", lambda e: e.occasion.ticket),
        ("服务事项", _item_name),
        ("服务部门", _department),
        ("服务窗口", _window),
        ("服务环节", _kind),
        ("服务时间", lambda e: _time(e.occasion.at)),
        ("评价时间", lambda e: _time(e.submitted_at)),
        ("评价渠道", lambda e: GBT39046_CHANNEL[e.channel]),
        ("评价等级", lambda e: GBT39046_CODE[e.level]),
        ("评价指标", _tag_labels),
        ("评价内容", lambda e: mask_free_text(e.text)),
        ("是否实名", lambda e: 1 if e.real_name else 0),
        ("是否作废", lambda e: 1 if e.voided_at is not None else 0),
    ),
    NATIONAL: (
        ("评价编号", lambda e: e.pk),
        ("办件编号", _case_number),
        ("事项名称", _item_name),
        ("部门名称", _department),
        ("评价时间", lambda e: _time(e.submitted_at)),
        ("评价渠道", lambda e: GBT39046_CHANNEL[e.channel]),
        ("满意度", lambda e: NATIONAL_CODE[e.level]),
        ("是否差评", lambda e: 1 if NATIONAL_CODE[e.level] < NATIONAL_BAD_BELOW else 0),
        ("评价指标", _tag_labels),
        ("评价内容", lambda e: mask_free_text(e.text)),
    ),
}


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_default_timezone())


def evaluations_to_export(
    *,
    fmt: str,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    user: Any = None,
    center_id: int | None = None,
) -> QuerySet[Evaluation]:
    """The evaluations of a file: within `user`'s data scope when a user is given (the API),
    else of `center_id` or every center (the management command)."""
    qs = Evaluation.objects.all()
    if user is not None:
        qs = scope_queryset(
            qs, user, department_field="occasion__department", center_field="occasion__center"
        )
    elif center_id is not None:
        qs = qs.filter(occasion__center_id=center_id)
    if date_from is not None:
        qs = qs.filter(submitted_at__gte=_day_start(date_from))
    if date_to is not None:
        qs = qs.filter(submitted_at__lt=_day_start(date_to + dt.timedelta(days=1)))
    if fmt == NATIONAL:
        qs = qs.filter(voided_at__isnull=True)
    return qs.select_related(
        "template", "occasion__case__item_version", "occasion__department", "occasion__window"
    ).order_by("submitted_at", "id")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def rows(evaluations: Iterable[Evaluation], fmt: str) -> Iterator[list[str]]:
    columns = COLUMNS[fmt]
    yield [header for header, _value in columns]
    for evaluation in evaluations:
        yield [_cell(value(evaluation)) for _header, value in columns]


def to_csv(evaluations: Iterable[Evaluation], fmt: str) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows(evaluations, fmt):
        writer.writerow(row)
    return ("\ufeff" + out.getvalue()).encode()  # with a BOM: Excel then reads UTF-8


def filename(fmt: str, date_from: dt.date | None, date_to: dt.date | None) -> str:
    span = "-".join(d.strftime("%Y%m%d") for d in (date_from, date_to) if d is not None)
    return f"evaluations-{fmt}{'-' + span if span else ''}.csv"

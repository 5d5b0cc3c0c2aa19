"""Staff pages of joint inspections and acceptances (联合踏勘 / 联合验收) of a bundle case: the
schedule form, the record form (each department's attendance and conclusion, the checklist with
photos, the overall conclusion), the read page and the cancel form.

Thin: every write goes through `onewindow.approvals.inspections`, the reads through its
selectors; a page of a bundle shows only to staff who see the bundle
(`approvals.permissions.sees_bundle_case`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.approvals import inspections, selectors
from onewindow.approvals.inspection_models import Conclusion, JointInspection, JointInspectionCheck
from onewindow.approvals.models import BundleCase
from onewindow.approvals.permissions import sees_bundle_case
from onewindow.cases import numbers
from onewindow.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from onewindow.web.access import staff_page
from onewindow.web.cases.common import VIEW_CASE, not_found
from onewindow.web.cases.forms import service_field_errors

CHECK_ROWS = 8  # blank checklist rows on the record form (more with ?rows=)
MAX_ROWS = inspections.MAX_CHECKS
KIND_LABELS = dict(JointInspection.Kind.choices)
STATUS_LABELS = dict(JointInspection.Status.choices)
CONCLUSION_LABELS = dict(Conclusion.choices)
RESULT_LABELS = dict(JointInspectionCheck.Result.choices)


def _bundle(request: HttpRequest, number: str) -> BundleCase | None:
    try:
        value = numbers.parse_case_number(number)
    except ValidationFailed:
        return None
    bundle_case = selectors.bundle_case_by_number(value)
    if bundle_case is None or not sees_bundle_case(request.user, bundle_case):  # type: ignore[arg-type]
        return None
    return bundle_case


def _no_bundle(request: HttpRequest, number: str) -> HttpResponse:
    return not_found(
        request, _("No bundle case with the number %(number)s in your scope.") % {"number": number[:40]}
    )


def _page(bundle_case: BundleCase, inspection: JointInspection | None = None) -> str:
    if inspection is None:
        return reverse("web:inspection_new", args=[bundle_case.number])
    return reverse("web:inspection", args=[bundle_case.number, inspection.pk])


# --- schedule --------------------------------------------------------------------------------------


class ScheduleForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind"), choices=JointInspection.Kind.choices, widget=forms.RadioSelect
    )
    at = forms.DateTimeField(
        label=gettext_lazy("Date and time"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200)
    sub_cases = forms.MultipleChoiceField(
        label=gettext_lazy("Sub-cases taking part"), widget=forms.CheckboxSelectMultiple
    )
    pausing_sub_cases = forms.MultipleChoiceField(
        label=gettext_lazy("Items that count it as a special procedure (the clock pauses)"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy(
            "Administrative Licensing Law art. 45: the time of the inspection "
            "is not counted in these items' limits."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sub_cases"].choices = choices  # type: ignore[attr-defined]
        self.fields["pausing_sub_cases"].choices = choices  # type: ignore[attr-defined]


def _choices(bundle_case: BundleCase) -> list[tuple[str, str]]:
    return [
        (str(s.pk), f"{s.item_name}（{s.department.name}）") for s in inspections.open_sub_cases(bundle_case)
    ]


@staff_page(VIEW_CASE)
def inspection_new(request: HttpRequest, number: str) -> HttpResponse:
    """The schedule form (GET) and scheduling (POST)."""
    bundle_case = _bundle(request, number)
    if bundle_case is None:
        return _no_bundle(request, number)
    choices = _choices(bundle_case)
    form = ScheduleForm(request.POST or None, choices=choices)
    status = 200
    error = ""
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                inspection = inspections.joint_inspection_schedule(
                    bundle_case=bundle_case.pk,
                    kind=data["kind"],
                    at=data["at"],
                    place=data["place"],
                    sub_cases=[int(v) for v in data["sub_cases"]],
                    pausing_sub_cases=[int(v) for v in data["pausing_sub_cases"]],
                    note=data["note"],
                    actor=request.user,  # type: ignore[arg-type]
                )
            except PermissionDenied as exc:
                error, status = exc.message, 403
            except ValidationFailed as exc:
                for field, errors in service_field_errors(exc.details).items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
                error, status = exc.message, 422
            else:
                messages.success(request, _("The joint inspection is scheduled."))
                return HttpResponseRedirect(_page(bundle_case, inspection))
        else:
            error, status = _("Check the inspection."), 422
    return render(
        request,
        "web/inspections/new.html",
        {
            "bundle_case": bundle_case,
            "form": form,
            "error": error,
            "can_arrange": inspections.may_arrange(request.user, bundle_case),  # type: ignore[arg-type]
            "inspections": inspections.inspections_of(bundle_case),
            "kind_labels": KIND_LABELS,
            "status_labels": STATUS_LABELS,
            "nav_active": "cases",
        },
        status=status,
    )


# --- read ------------------------------------------------------------------------------------------


def _inspection(
    request: HttpRequest, number: str, pk: int
) -> tuple[BundleCase | None, JointInspection | None]:
    bundle_case = _bundle(request, number)
    if bundle_case is None:
        return None, None
    return bundle_case, inspections.inspection_of(bundle_case, pk)


def _context(bundle_case: BundleCase, inspection: JointInspection, user: Any) -> dict[str, Any]:
    return {
        "bundle_case": bundle_case,
        "inspection": inspection,
        "kind_label": KIND_LABELS.get(inspection.kind, inspection.kind),
        "status_label": STATUS_LABELS.get(inspection.status, inspection.status),
        "overall_label": CONCLUSION_LABELS.get(inspection.overall, ""),
        "participants": [
            {"row": p, "conclusion_label": CONCLUSION_LABELS.get(p.conclusion, "")}
            for p in inspections.participants(inspection)
        ],
        "checks": [
            {"row": c, "result_label": RESULT_LABELS.get(c.result, c.result)}
            for c in inspections.checks(inspection)
        ],
        "can_record": inspection.status == JointInspection.Status.SCHEDULED
        and inspections.may_record(user, inspection),
        "nav_active": "cases",
    }


@staff_page(VIEW_CASE)
def inspection_detail(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    bundle_case, inspection = _inspection(request, number, pk)
    if bundle_case is None:
        return _no_bundle(request, number)
    if inspection is None:
        return not_found(request, _("No such joint inspection of this bundle case."))
    return render(request, "web/inspections/detail.html", _context(bundle_case, inspection, request.user))


# --- record ----------------------------------------------------------------------------------------


def _rows(request: HttpRequest, count: int) -> list[dict[str, Any]]:
    """The checklist rows posted (blank ones dropped), each with its files."""
    rows = []
    for i in range(1, count + 1):
        row = {
            f: request.POST.get(f"check-{i}-{f}", "").strip()
            for f in ("point", "clause", "result", "comment")
        }
        files = request.FILES.getlist(f"check-{i}-photos")
        if any(row.values()) or files:
            rows.append({**row, "files": files, "index": i})
    return rows


def _version(request: HttpRequest) -> int:
    raw = request.POST.get("version", "")
    return int(raw) if raw.isdigit() and len(raw) < 10 else 0


def _row_count(request: HttpRequest) -> int:
    raw = request.POST.get("rows") or request.GET.get("rows") or ""
    return min(int(raw), MAX_ROWS) if raw.isdigit() and int(raw) > 0 else CHECK_ROWS


@staff_page(VIEW_CASE)
def inspection_record(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    """The record form (GET) and recording (POST): each department, the checklist, the overall
    conclusion; the photos are added in the same transaction."""
    bundle_case, inspection = _inspection(request, number, pk)
    if bundle_case is None:
        return _no_bundle(request, number)
    if inspection is None:
        return not_found(request, _("No such joint inspection of this bundle case."))
    count = _row_count(request)
    errors: dict[str, list[str]] = {}
    error = ""
    status = 200
    if request.method == "POST":
        participants = list(inspections.participants(inspection))
        departments = [
            {
                "sub_case": p.sub_case_id,
                "attended": request.POST.get(f"dept-{p.position}-attended", ""),
                "conclusion": request.POST.get(f"dept-{p.position}-conclusion", ""),
                "comment": request.POST.get(f"dept-{p.position}-comment", ""),
            }
            for p in participants
        ]
        rows = _rows(request, count)
        try:
            with transaction.atomic():
                recorded = inspections.joint_inspection_record(
                    inspection=inspection.pk,
                    departments=departments,
                    checklist=[{k: r[k] for k in ("point", "clause", "result", "comment")} for r in rows],
                    overall=request.POST.get("overall", ""),
                    overall_comment=request.POST.get("overall_comment", ""),
                    actor=request.user,  # type: ignore[arg-type]
                    version=_version(request),
                )
                for position, row in enumerate(rows, start=1):
                    for upload in row["files"]:
                        try:
                            inspections.joint_inspection_photo_add(
                                inspection=recorded,
                                position=position,
                                file=upload,
                                actor=request.user,  # type: ignore[arg-type]
                            )
                        except ValidationFailed as exc:
                            raise ValidationFailed(
                                exc.message,
                                details={
                                    f"checklist.{position}.photos": service_field_errors(exc.details).get(
                                        "file", [exc.message]
                                    )
                                },
                            ) from exc
        except Conflict:
            inspection.refresh_from_db()
            error, status = _("The inspection was changed by someone else; check it and try again."), 409
        except InvalidTransition as exc:
            error, status = exc.message, 409
        except PermissionDenied as exc:
            error, status = exc.message, 403
        except ValidationFailed as exc:
            errors = service_field_errors(exc.details)
            # the service numbers the rows it kept: back to the rows of the form
            for position, row in enumerate(rows, start=1):
                for field in ("point", "clause", "result", "comment", "photos"):
                    moved = errors.pop(f"checklist.{position}.{field}", None)
                    if moved:
                        errors[f"check-{row['index']}-{field}"] = moved
            error, status = exc.message, 422
        else:
            messages.success(request, _("The joint inspection is recorded."))
            return HttpResponseRedirect(_page(bundle_case, recorded))
    context = _context(bundle_case, inspection, request.user)
    for entry in context["participants"]:
        p = entry["row"]
        key = f"departments.{p.position}"
        entry["errors"] = errors.get(key, []) + errors.get(f"{key}.attended", [])
        entry["conclusion_errors"] = errors.get(f"{key}.conclusion", [])
        entry["comment_errors"] = errors.get(f"{key}.comment", [])
        entry["posted"] = {
            f: request.POST.get(f"dept-{p.position}-{f}", "") for f in ("attended", "conclusion", "comment")
        }
    context.update(
        {
            "check_rows": [
                {
                    "index": i,
                    "posted": {
                        f: request.POST.get(f"check-{i}-{f}", "")
                        for f in ("point", "clause", "result", "comment")
                    },
                    "errors": {
                        f: errors.get(f"check-{i}-{f}", [])
                        for f in ("point", "clause", "result", "comment", "photos")
                    },
                }
                for i in range(1, count + 1)
            ],
            "rows": count,
            "more_rows": min(count + CHECK_ROWS, MAX_ROWS),
            "conclusions": Conclusion.choices,
            "results": JointInspectionCheck.Result.choices,
            "overall_posted": request.POST.get("overall", ""),
            "overall_comment_posted": request.POST.get("overall_comment", ""),
            "general_errors": [
                m
                for k in ("overall", "overall_comment", "checklist", "departments", "at")
                for m in errors.get(k, [])
            ],
            "overall_errors": errors.get("overall", []),
            "error": error,
        }
    )
    return render(request, "web/inspections/record.html", context, status=status)


@staff_page(VIEW_CASE)
def inspection_cancel(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    bundle_case, inspection = _inspection(request, number, pk)
    if bundle_case is None:
        return _no_bundle(request, number)
    if inspection is None:
        return not_found(request, _("No such joint inspection of this bundle case."))
    if request.method != "POST":
        return HttpResponseRedirect(_page(bundle_case, inspection))
    try:
        inspections.joint_inspection_cancel(
            inspection=inspection.pk,
            reason=request.POST.get("reason", ""),
            actor=request.user,  # type: ignore[arg-type]
            version=_version(request),
        )
    except (Conflict, InvalidTransition, PermissionDenied, ValidationFailed) as exc:
        context = _context(bundle_case, inspection, request.user)
        context["error"] = exc.message
        code = (
            403
            if isinstance(exc, PermissionDenied)
            else 409
            if isinstance(exc, Conflict | InvalidTransition)
            else 422
        )
        return render(request, "web/inspections/detail.html", context, status=code)
    messages.success(request, _("The joint inspection is cancelled."))
    return HttpResponseRedirect(_page(bundle_case, inspection))

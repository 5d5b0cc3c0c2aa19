"""The staff case pages: window intake (窗口收件), the worklist (待办), the case search list
(办件查询), the case page with its action forms, files and notices.

Thin: every write goes through `onewindow.cases.services`, every read through
`onewindow.cases.selectors` (data scope included). The case version travels in every form, so
two clerks acting at once get one success and one clear conflict message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onewindow.calendar import selectors as calendar_selectors
from onewindow.cases import clock as case_clock
from onewindow.cases import numbers, selectors, services
from onewindow.cases.facts import CLOCK_RUNNING, STATUS_LABELS, STEP_STATUS_LABELS
from onewindow.cases.links import staff_notice_path
from onewindow.cases.models import Case, CaseFile, CaseMaterial, CasePause, Notice, Status
from onewindow.cases.params import ACTION_LABELS
from onewindow.catalog import selectors as catalog_selectors
from onewindow.catalog.models import Material, ServiceItemVersion
from onewindow.core import clock
from onewindow.core.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from onewindow.org.selectors import departments_for, request_account, staff_for
from onewindow.web.access import forbidden, staff_page
from onewindow.web.cases import notices as notice_pages
from onewindow.web.cases.forms import (
    ActionForm,
    FileUploadForm,
    IntakeForm,
    RevealForm,
)

VIEW_CASE = "cases.view_case"
ACCEPT_CASE = "cases.accept_case"
PAGE_SIZE = 30
WORKLIST_LIMIT = 300
PAUSE_LABELS = dict(CasePause.Kind.choices)
OPEN_CLOCK = frozenset(CLOCK_RUNNING)


def conflict_message() -> str:
    return _(
        "This case was changed by someone else; the page has been reloaded. "
        "Check its current state and try again."
    )


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "web/404.html", {"message": message, "nav_active": "cases"}, status=404)


def _case_or_none(request: HttpRequest, number: str) -> Case | None:
    try:
        return selectors.case_by_number(number, user=request.user)
    except (NotFound, ValidationFailed):
        return None


def _days_left(due_at: Any, today: Any) -> int | None:
    if due_at is None:
        return None
    try:
        return calendar_selectors.count_working_days(today, case_clock.local_date(due_at))
    except ValidationFailed:
        return None


def _case_url(case: Case) -> str:
    return reverse("web:case", args=[case.display_number])


# --- worklist ------------------------------------------------------------------------------------


@staff_page(VIEW_CASE)
def worklist(request: HttpRequest) -> HttpResponse:
    from onewindow.supervision import selectors as supervision_selectors

    user: Any = request.user
    reminder_limit = 20
    scope = request.GET.get("scope") or "post"
    if scope not in ("post", "mine", "department"):
        scope = "post"
    overdue = request.GET.get("overdue") == "1"
    steps = list(
        selectors.worklist(user=user, scope=scope, overdue=True if overdue else None, limit=WORKLIST_LIMIT)
    )
    now = clock.now()
    today = clock.today()
    rows = [
        {
            "step": step,
            "case": step.case,
            "days_left": _days_left(step.due_at, today),
            "overdue": bool(step.due_at and step.due_at < now),
            "status_label": STATUS_LABELS.get(step.case.status, step.case.status),
        }
        for step in steps
    ]
    context = {
        "nav_active": "worklist",
        "rows": rows,
        # reminders (催办) to the user's posts or to the user, until read or the step is done
        "reminders": supervision_selectors.worklist_reminders(user, limit=reminder_limit),
        "reminder_limit": reminder_limit,
        "now": now,
        "scope": scope,
        "overdue": overdue,
        "limit": WORKLIST_LIMIT,
        "scopes": [
            ("post", _("Steps I can handle")),
            ("mine", _("Assigned to me")),
            ("department", _("All active steps in my scope")),
        ],
    }
    return render(request, "web/cases/worklist.html", context)


# --- case search list --------------------------------------------------------------------------------


@staff_page(VIEW_CASE)
def case_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    get = request.GET
    filters: dict[str, Any] = {
        "q": (get.get("q") or "").strip()[:40],
        "applicant": (get.get("applicant") or "").strip()[:50],
        "status": (get.get("status") or "").strip(),
        "item": (get.get("item") or "").strip()[:40],
        "department": (get.get("department") or "").strip()[:20],
        "overdue": get.get("overdue") == "1",
        "green_channel": get.get("green_channel") == "1",
    }
    departments = list(departments_for(user).filter(active=True).order_by("position", "code"))
    criteria: dict[str, Any] = {}
    if filters["status"] in Status.values:
        criteria["status"] = filters["status"]
    if filters["item"]:
        criteria["item_code"] = filters["item"]
    if filters["applicant"]:
        criteria["applicant"] = filters["applicant"]
    if filters["overdue"]:
        criteria["overdue"] = True
    if filters["green_channel"]:
        criteria["green_channel"] = True
    by_code = {d.code: d for d in departments}
    if filters["department"]:
        department = by_code.get(filters["department"])
        criteria["department"] = department.pk if department else -1
    qs = selectors.cases_for(user, criteria)
    if filters["q"]:
        value = numbers.normalise(filters["q"])
        qs = qs.filter(Q(number__startswith=value) | Q(receipt_number__startswith=value))
    page = Paginator(qs.order_by("-created_at", "-id"), PAGE_SIZE).get_page(get.get("page"))
    now = clock.now()
    rows = [
        {
            "case": case,
            "status_label": STATUS_LABELS.get(case.status, case.status),
            "overdue": bool(case.due_at and case.status in OPEN_CLOCK and case.due_at < now),
        }
        for case in page.object_list
    ]
    query = get.copy()
    query.pop("page", None)
    context = {
        "nav_active": "cases",
        "rows": rows,
        "page": page,
        "filters": filters,
        "filtered": any(filters.values()),
        "departments": departments,
        "statuses": [(value, STATUS_LABELS.get(value, label)) for value, label in Status.choices],
        "query": query.urlencode(),
    }
    template = "web/cases/list.html"
    if getattr(request, "htmx", False) and not request.htmx.boosted:  # type: ignore[attr-defined]
        template += "#case_results"
    return render(request, template, context)


# --- intake --------------------------------------------------------------------------------


def _intake_version(request: HttpRequest, code: str) -> ServiceItemVersion | None:
    user: Any = request.user
    if not code or not user.center_id:
        return None
    try:
        return catalog_selectors.item_by_code(code, center=user.center)
    except NotFound:
        return None


def _intake_form(request: HttpRequest, version: ServiceItemVersion, data: Any = None) -> IntakeForm:
    user: Any = request.user
    return IntakeForm(
        data,
        request.FILES if data is not None else None,
        materials=list(version.materials.all()),
        handlers=staff_for(user),
    )


@staff_page(ACCEPT_CASE)
def intake_items(request: HttpRequest) -> HttpResponse:
    """The item search of the intake page (htmx): by name, code or department."""
    user: Any = request.user
    q = (request.GET.get("q") or "").strip()[:100]
    department = (request.GET.get("department") or "").strip()[:20]
    items: list[ServiceItemVersion] = []
    error = ""
    if user.center_id and (q or department):
        try:
            items = list(
                catalog_selectors.published_items(
                    center=user.center, q=q, department_code=department or None
                )[:50]
            )
        except ValidationFailed as exc:
            error = exc.message
    return render(
        request,
        "web/cases/intake.html#item_results",
        {"items": items, "q": q, "department": department, "error": error, "searched": bool(q or department)},
    )


@staff_page(ACCEPT_CASE)
def intake(request: HttpRequest) -> HttpResponse:
    """窗口收件: choose the item, check the materials, enter the applicant, then accept, ask for
    a correction or refuse, in one submission."""
    user: Any = request.user
    if not user.center_id:
        return forbidden(request, reason=_("Your account is not attached to a service center."))
    code = (request.POST.get("item_code") or request.GET.get("item") or "").strip()
    version = _intake_version(request, code)
    context: dict[str, Any] = {
        "nav_active": "intake",
        "version": version,
        "item_code": code,
        "departments": catalog_selectors.departments_with_counts(center=user.center),
        "error": "",
    }
    if code and version is None:
        context["error"] = _("No published service item with code %(code)s.") % {"code": code[:40]}
    if version is None:
        return render(request, "web/cases/intake.html", context, status=404 if code else 200)
    if request.method != "POST":
        context["form"] = _intake_form(request, version)
        return render(request, "web/cases/intake.html", context)

    form = _intake_form(request, version, request.POST)
    context["form"] = form
    action = request.POST.get("action", "")
    if action not in IntakeForm.ACTIONS:
        context["error"] = _("Choose accept, ask for correction or refuse.")
        return render(request, "web/cases/intake.html", context, status=422)
    if not form.is_valid():
        context["error"] = _("Check the fields marked below.")
        return render(request, "web/cases/intake.html", context, status=422)
    try:
        case = _intake_submit(request, form, version, action)
    except ValidationFailed as exc:
        form.add_service_errors(exc.details)
        context["error"] = exc.message
        return render(request, "web/cases/intake.html", context, status=422)
    except (PermissionDenied, NotFound) as exc:
        context["error"] = exc.message
        return render(request, "web/cases/intake.html", context, status=exc.status)
    notice = Notice.objects.filter(case=case).order_by("-issued_at", "-id").first()
    if action == "accept":
        messages.success(
            request, _("Accepted: case number %(number)s.") % {"number": case.number or case.receipt_number}
        )
    elif action == "correct":
        messages.warning(request, _("The one-time correction notice has been issued."))
    else:
        messages.warning(request, _("The application has been refused."))
    if notice is None:
        return HttpResponseRedirect(_case_url(case))
    return HttpResponseRedirect(staff_notice_path(case.display_number, notice.number))


class _FileRejected(ValidationFailed):
    pass


def _intake_submit(request: HttpRequest, form: IntakeForm, version: ServiceItemVersion, action: str) -> Case:
    """The intake and its files in one transaction: a rejected file undoes the whole intake."""
    user: Any = request.user
    data = form.cleaned_data
    with transaction.atomic():
        case = services.case_intake(
            actor=user,
            item_code=version.item.code,
            center=user.center,
            applicant=form.applicant(),
            agent=form.agent(),
            channel=data["channel"],
            materials=form.materials_checked(),
            action=action,
            note=data.get("note", ""),
            correction_items=form.correction_items() if action == "correct" else (),
            green_channel=bool(data.get("green_channel")),
            green_channel_handler=data.get("green_channel_handler"),
            delivery_method=data["delivery_method"],
        )
        files = form.uploads()
        if files:
            rows = {m.material_id: m for m in CaseMaterial.objects.filter(case=case)}
            for material, upload in files:
                try:
                    services.case_file_add(
                        case=case, actor=user, file=upload, case_material=rows.get(material.pk)
                    )
                except ValidationFailed as exc:
                    messages_ = (exc.details or {}).get("file") if isinstance(exc.details, dict) else None
                    raise _FileRejected(
                        exc.message, details={f"m{material.pk}_file": messages_ or [exc.message]}
                    ) from exc
    return case


# --- the case page -------------------------------------------------------------------------------


def _event_summary(data: dict[str, Any]) -> str:
    parts: list[str] = []
    for key in ("reason", "reasons", "note", "certificate_number", "tracking_number"):
        value = data.get(key)
        if value:
            parts.append(str(value))
    if data.get("items"):
        parts.append("；".join(f"{i.get('name', '')}: {i.get('note', '')}" for i in data["items"]))
    if data.get("kind") in PAUSE_LABELS:
        parts.append(str(PAUSE_LABELS[data["kind"]]))
    if data.get("days") and "extension_id" in data:
        parts.append(_("%(days)s working days") % {"days": data["days"]})
    if data.get("missing_required"):
        parts.append(_("accepted without: %(names)s") % {"names": "、".join(data["missing_required"])})
    return " · ".join(parts)


def _case_context(
    request: HttpRequest,
    case: Case,
    *,
    bound: ActionForm | None = None,
    error: str = "",
    revealed: dict[str, str] | None = None,
    reveal_form: RevealForm | None = None,
    upload_form: FileUploadForm | None = None,
) -> dict[str, Any]:
    user: Any = request.user
    steps = list(selectors.case_steps(case))
    item_materials = list(Material.objects.filter(version_id=case.item_version_id).order_by("position"))
    case_materials = list(
        CaseMaterial.objects.filter(case=case).prefetch_related("files").order_by("position", "id")
    )
    extra_files = list(CaseFile.objects.filter(case=case, case_material__isnull=True).order_by("uploaded_at"))
    events = [
        {
            "event": e,
            "label": ACTION_LABELS.get(e.action, e.action),
            "status_label": STATUS_LABELS.get(e.to_status, e.to_status),
            "summary": _event_summary(e.data or {}),
        }
        for e in selectors.case_history(case)
    ]
    notices = [
        {"notice": n, "title": notice_pages.title(n)}
        for n in Notice.objects.filter(case=case).order_by("issued_at", "id")
    ]
    allowed = services.case_allowed_actions(case, user)
    action_forms = []
    for action in allowed:
        if bound is not None and bound.action == action:
            action_forms.append(bound)
            continue
        action_forms.append(
            ActionForm(
                action=action,
                version=case.version,
                materials=item_materials,
                steps=steps,
                active_position=case.active_step_position,
            )
        )
    summary = case_clock.clock_summary(case)
    return {
        "nav_active": "cases",
        "case": case,
        "status_label": STATUS_LABELS.get(case.status, case.status),
        "steps": [{"step": s, "status_label": STEP_STATUS_LABELS.get(s.status, s.status)} for s in steps],
        "case_materials": case_materials,
        "extra_files": extra_files,
        "events": events,
        "notices": notices,
        "clock": summary,
        "clock_events": [
            {"event": e, "pause_label": PAUSE_LABELS.get(e.detail, e.detail)}
            for e in (summary.events if summary else ())
        ],
        "action_forms": action_forms,
        "open_action": bound.action if bound is not None else (allowed[0] if allowed else ""),
        "allowed_labels": [ACTION_LABELS.get(a, a) for a in allowed],
        "error": error,
        "revealed": revealed,
        "reveal_form": reveal_form or RevealForm(),
        "upload_form": upload_form or FileUploadForm(case_materials=case_materials),
        "can_upload": user.has_perm("cases.accept_case") or user.has_perm("cases.handle_step"),
        "overdue": bool(case.due_at and case.status in OPEN_CLOCK and case.due_at < clock.now()),
    }


def _render_case(request: HttpRequest, case: Case, status: int = 200, **kwargs: Any) -> HttpResponse:
    return render(request, "web/cases/case.html", _case_context(request, case, **kwargs), status=status)


@staff_page(VIEW_CASE)
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_none(request, number)
    if case is None:
        return _not_found(
            request, _("No case with the number %(number)s in your scope.") % {"number": number[:40]}
        )
    return _render_case(request, case)


@require_POST
@staff_page(VIEW_CASE)
def case_action(request: HttpRequest, number: str) -> HttpResponse:
    user: Any = request.user
    case = _case_or_none(request, number)
    if case is None:
        return _not_found(
            request, _("No case with the number %(number)s in your scope.") % {"number": number[:40]}
        )
    action = request.POST.get("action", "")
    if action not in services.ACTION_PARAMS:
        return _render_case(request, case, 422, error=_("Unknown action."))
    form = ActionForm(
        request.POST,
        action=action,
        version=case.version,
        materials=list(Material.objects.filter(version_id=case.item_version_id).order_by("position")),
        steps=list(selectors.case_steps(case)),
        active_position=case.active_step_position,
    )
    if not form.is_valid():
        if "version" in form.errors:
            return _render_case(request, case, 409, error=conflict_message())
        return _render_case(request, case, 422, bound=form, error=_("Check the fields of this action."))
    notices_before = Notice.objects.filter(case=case).count()
    try:
        services.case_act(
            case=case,
            action=action,
            version=form.cleaned_data["version"],
            actor=user,
            **form.service_params(),
        )
    except Conflict:
        case.refresh_from_db()
        return _render_case(request, case, 409, error=conflict_message())
    except InvalidTransition as exc:
        case.refresh_from_db()
        return _render_case(request, case, 422, error=exc.message)
    except ValidationFailed as exc:
        form.add_service_errors(exc.details, fallback=exc.message)
        return _render_case(request, case, 422, bound=form, error=exc.message)
    except PermissionDenied as exc:
        return _render_case(request, case, 403, error=exc.message)
    label = ACTION_LABELS.get(action, action)
    new_notice = Notice.objects.filter(case=case).order_by("-issued_at", "-id").first()
    if new_notice is not None and Notice.objects.filter(case=case).count() > notices_before:
        messages.success(
            request,
            _("%(action)s: done. %(notice)s is ready to print.")
            % {"action": label, "notice": notice_pages.title(new_notice)},
        )
    else:
        messages.success(request, _("%(action)s: done.") % {"action": label})
    case.refresh_from_db(fields=["number"])
    return HttpResponseRedirect(_case_url(case))


@require_POST
@staff_page(VIEW_CASE)
def case_reveal(request: HttpRequest, number: str) -> HttpResponse:
    """Show the full ID numbers and phones after the user gave a reason (written to the audit trail)."""
    case = _case_or_none(request, number)
    if case is None:
        return _not_found(
            request, _("No case with the number %(number)s in your scope.") % {"number": number[:40]}
        )
    form = RevealForm(request.POST)
    if not form.is_valid():
        return _render_case(request, case, 422, reveal_form=form)
    try:
        revealed = services.case_reveal_applicant(
            case=case, actor=request_account(request), reason=form.cleaned_data["reason"]
        )
    except (PermissionDenied, ValidationFailed) as exc:
        return _render_case(request, case, exc.status, error=exc.message, reveal_form=form)
    return _render_case(request, case, revealed=revealed)


@require_POST
@staff_page(VIEW_CASE)
def case_file_upload(request: HttpRequest, number: str) -> HttpResponse:
    case = _case_or_none(request, number)
    if case is None:
        return _not_found(
            request, _("No case with the number %(number)s in your scope.") % {"number": number[:40]}
        )
    case_materials = list(CaseMaterial.objects.filter(case=case).order_by("position", "id"))
    form = FileUploadForm(request.POST, request.FILES, case_materials=case_materials)
    if not form.is_valid():
        return _render_case(request, case, 422, upload_form=form)
    material_id = form.cleaned_data.get("material")
    case_material = next((m for m in case_materials if m.pk == material_id), None)
    try:
        services.case_file_add(
            case=case,
            actor=request_account(request),
            file=form.cleaned_data["file"],
            case_material=case_material,
        )
    except ValidationFailed as exc:
        for message in (exc.details or {}).get("file", []) if isinstance(exc.details, dict) else []:
            form.add_error("file", message)
        return _render_case(request, case, 422, upload_form=form, error=exc.message)
    except PermissionDenied as exc:
        return _render_case(request, case, 403, error=exc.message)
    messages.success(request, _("The file has been added."))
    return HttpResponseRedirect(_case_url(case) + "#materials")


@staff_page(VIEW_CASE)
def case_file(request: HttpRequest, number: str, file_id: int) -> HttpResponse:
    """A case file, for someone who may see the case (never a raw media address)."""
    case = _case_or_none(request, number)
    if case is None:
        return _not_found(
            request, _("No case with the number %(number)s in your scope.") % {"number": number[:40]}
        )
    row = CaseFile.objects.filter(pk=file_id, case=case).first()
    if row is None:
        return _not_found(request, _("No such file on this case."))
    inline = request.GET.get("inline") == "1"
    response: HttpResponseBase = FileResponse(
        row.file.open("rb"), as_attachment=not inline, filename=row.original_name
    )
    return response  # type: ignore[return-value]


@staff_page(VIEW_CASE)
def case_notice(request: HttpRequest, number: str, notice_number: str) -> HttpResponse:
    """A notice as a printable A4 page, rendered from its stored snapshot."""
    case = _case_or_none(request, number)
    if case is None:
        return _not_found(
            request, _("No case with the number %(number)s in your scope.") % {"number": number[:40]}
        )
    notice = Notice.objects.filter(case=case, number=notice_number).first()
    if notice is None:
        return _not_found(request, _("No such notice on this case."))
    context = notice_pages.context(notice, center_name=case.center.name)
    context["case"] = case
    return render(request, "web/cases/notice.html", context)

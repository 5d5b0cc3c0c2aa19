"""The case page: its action forms, the applicant reveal, files and notices.

Thin: every write goes through `onewindow.cases.services`, every read through
`onewindow.cases.selectors` (data scope included). The case version travels in every form, so
two clerks acting at once get one success and one clear conflict message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onewindow.approvals.selectors import bundle_of_case
from onewindow.cases import clock as case_clock
from onewindow.cases import selectors, services
from onewindow.cases import transitions as T
from onewindow.cases.approvals import pending_extension
from onewindow.cases.facts import STATUS_LABELS, STEP_STATUS_LABELS
from onewindow.cases.models import Case, CaseFile, CaseMaterial, Notice
from onewindow.cases.params import ACTION_LABELS
from onewindow.catalog.models import Material
from onewindow.core import clock
from onewindow.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from onewindow.org.selectors import request_account
from onewindow.web.access import staff_page
from onewindow.web.cases import notices as notice_pages
from onewindow.web.cases.common import (
    OPEN_CLOCK,
    PAUSE_LABELS,
    VIEW_CASE,
    case_or_none,
    case_url,
    conflict_message,
    not_found,
)
from onewindow.web.cases.forms import (
    ActionForm,
    FileUploadForm,
    RevealForm,
)

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
        if action == T.DELIVER and (bound is None or bound.action != T.DELIVER):
            continue  # delivery has its own page (recipient, masked ID, proof of service)
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
    wanted = request.GET.get("action", "")
    open_action = bound.action if bound is not None else (wanted if wanted in allowed else "")
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
        "open_action": open_action or (action_forms[0].action if action_forms else ""),
        # an extension request waiting for approval: "submitted, awaiting approval" (not done)
        "pending_extension": pending_extension(case),
        "allowed_labels": [ACTION_LABELS.get(a, a) for a in allowed],
        "error": error,
        "revealed": revealed,
        "reveal_form": reveal_form or RevealForm(),
        "upload_form": upload_form or FileUploadForm(case_materials=case_materials),
        "can_upload": user.has_perm("cases.accept_case") or user.has_perm("cases.handle_step"),
        "overdue": bool(case.due_at and case.status in OPEN_CLOCK and case.due_at < clock.now()),
        "bundle_case": bundle_of_case(case.pk) if case.joint else None,
    }


def _render_case(request: HttpRequest, case: Case, status: int = 200, **kwargs: Any) -> HttpResponse:
    return render(request, "web/cases/case.html", _case_context(request, case, **kwargs), status=status)


@staff_page(VIEW_CASE)
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    case = case_or_none(request, number)
    if case is None:
        return not_found(
            request, _("No case with the number %(number)s in your scope.") % {"number": number[:40]}
        )
    return _render_case(request, case)


@require_POST
@staff_page(VIEW_CASE)
def case_action(request: HttpRequest, number: str) -> HttpResponse:
    user: Any = request.user
    case = case_or_none(request, number)
    if case is None:
        return not_found(
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
    elif action == T.REQUEST_EXTENSION:
        messages.success(request, _("%(action)s: submitted, awaiting approval.") % {"action": label})
    else:
        messages.success(request, _("%(action)s: done.") % {"action": label})
    case.refresh_from_db(fields=["number"])
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(back)  # e.g. back to the worklist after an approval there
    return HttpResponseRedirect(case_url(case))


@require_POST
@staff_page(VIEW_CASE)
def case_reveal(request: HttpRequest, number: str) -> HttpResponse:
    """Show the full ID numbers and phones after the user gave a reason (written to the audit trail)."""
    case = case_or_none(request, number)
    if case is None:
        return not_found(
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
    case = case_or_none(request, number)
    if case is None:
        return not_found(
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
    return HttpResponseRedirect(case_url(case) + "#materials")


@staff_page(VIEW_CASE)
def case_file(request: HttpRequest, number: str, file_id: int) -> HttpResponse:
    """A case file, for someone who may see the case (never a raw media address)."""
    case = case_or_none(request, number)
    if case is None:
        return not_found(
            request, _("No case with the number %(number)s in your scope.") % {"number": number[:40]}
        )
    row = CaseFile.objects.filter(pk=file_id, case=case).first()
    if row is None:
        return not_found(request, _("No such file on this case."))
    inline = request.GET.get("inline") == "1"
    response: HttpResponseBase = FileResponse(
        row.file.open("rb"), as_attachment=not inline, filename=row.original_name
    )
    return response  # type: ignore[return-value]


@staff_page(VIEW_CASE)
def case_notice(request: HttpRequest, number: str, notice_number: str) -> HttpResponse:
    """A notice as a printable A4 page, rendered from its stored snapshot."""
    case = case_or_none(request, number)
    if case is None:
        return not_found(
            request, _("No case with the number %(number)s in your scope.") % {"number": number[:40]}
        )
    notice = Notice.objects.filter(case=case, number=notice_number).first()
    if notice is None:
        return not_found(request, _("No such notice on this case."))
    context = notice_pages.context(notice, center_name=case.center.name)
    context["case"] = case
    return render(request, "web/cases/notice.html", context)

"""Window intake (窗口收件): the item picker and the intake form."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from onewindow.cases import services
from onewindow.cases.intake import accepted_department_ids
from onewindow.cases.links import staff_notice_path
from onewindow.cases.models import Case, CaseMaterial, Notice, Status
from onewindow.catalog import selectors as catalog_selectors
from onewindow.catalog.models import ServiceItemVersion
from onewindow.core.errors import NotFound, PermissionDenied, ValidationFailed
from onewindow.org.selectors import staff_for
from onewindow.web.access import forbidden, staff_page
from onewindow.web.cases.common import (
    ACCEPT_CASE,
    case_url,
)
from onewindow.web.cases.forms import (
    IntakeForm,
)
from onewindow.web.hall.intake import link_intake_ticket, remember_intake_ticket

# --- intake --------------------------------------------------------------------------------


def _may_take(request: HttpRequest, version: ServiceItemVersion) -> bool:
    allowed = accepted_department_ids(cast(Any, request.user))
    return allowed is None or version.department_id in allowed


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
    allowed = accepted_department_ids(user)
    if user.center_id and (q or department):
        try:
            found = catalog_selectors.published_items(
                center=user.center, q=q, department_code=department or None
            )
            if allowed is not None:
                found = found.filter(department_id__in=allowed)
            items = list(found[:50])
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
    allowed = accepted_department_ids(user)
    context: dict[str, Any] = {
        "nav_active": "intake",
        "version": version,
        "item_code": code,
        "departments": [
            (d, n)
            for d, n in catalog_selectors.departments_with_counts(center=user.center)
            if allowed is None or d.pk in allowed
        ],
        "error": "",
        "queue_ticket": remember_intake_ticket(request),
    }
    if code and version is None:
        context["error"] = _("No published service item with code %(code)s.") % {"code": code[:40]}
    if version is not None and not _may_take(request, version):
        context["error"] = _(
            "%(item)s is accepted at a general window or a window of %(dept)s, not at yours."
        ) % {"item": version.name, "dept": version.department.name}
        context["version"] = None
        return render(request, "web/cases/intake.html", context, status=403)
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
    valid = form.is_valid()
    # Every problem in one round: the form's own checks and the services' rules together.
    problems = form.problems(version, action)
    if problems:
        form.add_service_errors(problems)
    if not valid or problems:
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
    number = case.number or case.receipt_number
    linked = link_intake_ticket(request, case)
    if linked:
        messages.info(request, _("Linked to queue ticket %(ticket)s.") % {"ticket": linked})
    if action == "accept" and case.status == Status.COMPLETED:  # an instant item, in one sitting
        messages.success(
            request, _("Accepted and completed on the spot: case number %(number)s.") % {"number": number}
        )
    elif action == "accept" and case.is_instant:  # no delegation: the department decides today
        messages.success(
            request,
            _(
                "Accepted: case number %(number)s. This window may not decide the item on the spot "
                "(窗口授权): it goes to the department, to be decided today."
            )
            % {"number": number},
        )
    elif action == "accept":
        messages.success(request, _("Accepted: case number %(number)s.") % {"number": number})
    elif action == "correct":
        messages.warning(request, _("The one-time correction notice has been issued."))
    else:
        messages.warning(request, _("The application has been refused."))
    if notice is None:
        return HttpResponseRedirect(case_url(case))
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
            green_channel_reason=data.get("green_channel_reason", ""),
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

"""The department's pre-review (网上预审) pages. Thin: reads through `online.selectors` /
`online.pages`, writes through `online.prereview.application_prereview` with the version the
page showed (someone else first: a clear message, nothing written). An application outside the
reviewer's scope is a 404, as for a case."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onewindow.core import clock
from onewindow.core.errors import DomainError, NotFound
from onewindow.core.masking import mask_id_number, mask_name, mask_phone
from onewindow.identity.sessions import Applicant
from onewindow.online import bundle_pages, bundles, pages, prereview, selectors
from onewindow.online.models import OnlineApplication, OnlineBundleFile, OnlineFile, PreReviewRound
from onewindow.online.rules import applicant_data
from onewindow.org.selectors import request_account
from onewindow.web.access import staff_page
from onewindow.web.cases.common import not_found

PERMISSION = selectors.PERMISSION


@staff_page(PERMISSION)
def queue(request: HttpRequest) -> HttpResponse:
    """Awaiting pre-review in the reviewer's scope, soonest due first, yellow on the last day
    and red once overdue."""
    user = request_account(request)
    now = clock.now()
    rows = [
        {
            "a": a,
            "level": selectors.level(a, now),
            "applicant": mask_name(a.case.applicant_name) if a.case else mask_name(a.person.name),
            "id_number": mask_id_number(a.case.applicant_id_number)
            if a.case
            else mask_id_number(a.enterprise.uscc if a.enterprise else a.person.id_number),
        }
        for a in selectors.queue(user)[:500]
    ]
    return render(request, "web/online/queue.html", {"rows": rows, "nav_active": "prereview"})


def _found(request: HttpRequest, pk: int) -> OnlineApplication | None:
    try:
        return selectors.reviewable(request_account(request), pk)
    except NotFound:
        return None


@staff_page(PERMISSION)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    found = _found(request, pk)
    if found is None:
        return not_found(request, _("No such application."))
    if found.bundle_code:
        return _bundle_detail(request, found)
    case = found.case
    assert case is not None
    view = pages.application_view(found)
    return render(
        request,
        "web/online/detail.html",
        {
            "a": found,
            "case": case,
            "view": view,
            "applicant_id": mask_id_number(case.applicant_id_number),
            "applicant_phone": mask_phone(case.applicant_phone),
            "agent_id": mask_id_number(case.agent_id_number),
            "open": found.status == OnlineApplication.Status.SUBMITTED,
            "outcomes": PreReviewRound.Outcome.choices,
            "level": selectors.level(found, clock.now()),
            "nav_active": "prereview",
        },
    )


def _bundle_detail(request: HttpRequest, found: OnlineApplication) -> HttpResponse:
    """A bundle application (一件事): the situation, the items that apply, the one form, the
    uploads per material of the bundle's list; once decided, the link to the bundle case."""
    subject, agent = applicant_data(Applicant(person=found.person, enterprise=found.enterprise), found.form)
    return render(
        request,
        "web/online/bundle_detail.html",
        {
            "a": found,
            "view": bundle_pages.bundle_view(found),
            "subject": subject,
            "applicant_id": subject["id_number"]
            if subject["kind"] == "enterprise"
            else mask_id_number(subject["id_number"]),
            "applicant_phone": mask_phone(subject["phone"]),
            "agent": agent and {"name": agent["name"], "id_number": mask_id_number(agent["id_number"])},
            "open": found.status == OnlineApplication.Status.SUBMITTED,
            "outcomes": [
                (v, label) for v, label in PreReviewRound.Outcome.choices if v in bundles.BUNDLE_OUTCOMES
            ],
            "level": selectors.level(found, clock.now()),
            "nav_active": "prereview",
        },
    )


def _corrections(request: HttpRequest) -> list[dict[str, Any]]:
    """The checked materials with their notes (one note field per material)."""
    return [
        {"material": material, "note": request.POST.get(f"note-{material}", "")}
        for material in request.POST.getlist("correct")
    ]


@require_POST
@staff_page(PERMISSION)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    outcome = request.POST.get("outcome", "")
    try:
        prereview.application_prereview(
            actor=request_account(request),
            pk=pk,
            outcome=outcome,
            version=request.POST.get("version"),
            corrections=_corrections(request) if outcome == PreReviewRound.Outcome.RETURN else None,
            reason=request.POST.get("reason", ""),
        )
    except NotFound:
        return not_found(request, _("No such application."))
    except DomainError as exc:
        messages.error(request, exc.message)
        details = exc.details if isinstance(exc.details, dict) else {}
        for problems in details.values():
            for problem in problems if isinstance(problems, list) else []:
                if isinstance(problem, str):
                    messages.error(request, problem)
        return HttpResponseRedirect(reverse("web:prereview_detail", args=[pk]))
    messages.success(request, _("Pre-review recorded."))
    return HttpResponseRedirect(reverse("web:prereview_detail", args=[pk]))


@staff_page(PERMISSION)
def download(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    """An applicant's upload, for a reviewer who may see the application (an attachment)."""
    found = _found(request, pk)
    model = OnlineBundleFile if found is not None and found.bundle_code else OnlineFile
    row = model.objects.filter(application=found, pk=file_id).first() if found else None
    if row is None:
        return not_found(request, _("No such file."))
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.original_name)  # type: ignore[return-value]

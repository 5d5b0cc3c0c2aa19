"""Apply online for a bundle (一件事): the situation questions (the answers select the items,
shown after each save: no JS needed), the one form (一表制), the de-duplicated materials of the
applicable items with uploads, save, submit; after a return, the corrected files and resubmit.
Thin: every write goes through `onewindow.online.bundles`; the item pages' views
(`apply/views.py`) hand a bundle application over to these."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.translation import gettext as _

from onewindow.catalog.definitions import bundle_definition
from onewindow.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from onewindow.identity.sessions import Applicant
from onewindow.online import bundle_pages, bundles, selectors
from onewindow.online.models import OnlineApplication, OnlineBundleFile
from onewindow.online.rules import DELIVERY_METHODS, FORM_FIELDS, applicant_data
from onewindow.org.models import Center
from onewindow.portal.apply import helpers as item_views
from onewindow.portal.views.base import guide_render, not_found


def _answers_of(request: HttpRequest, bundle: Any) -> dict[str, str]:
    return {
        q.key: request.POST.get(f"answer-{q.key}", "")
        for q in bundle_definition(bundle).questions
        if request.POST.get(f"answer-{q.key}")
    }


def _form_of(request: HttpRequest, bundle: Any) -> dict[str, str]:
    form = {key: request.POST.get(key, "") for key in FORM_FIELDS}
    for f in bundle_definition(bundle).fields:
        form[f.key] = request.POST.get(f"field-{f.key}", "")
    return form


def apply_bundle(request: HttpRequest, center: Center, applicant: Applicant, code: str) -> HttpResponse:
    """Start: the situation questions; starting saves a draft with the answers (wrapped by
    `views.applicant_page` in urls.py: sign-in required)."""
    bundle = bundles.bundle_of(center, code)
    if not bundles.online_allowed(bundle):
        raise NotFound(_("This bundle cannot be applied for online."))
    existing = (
        selectors.applications_of(applicant)
        .filter(center=center, bundle_code=bundle.code, status=OnlineApplication.Status.DRAFT)
        .first()
    )
    if request.method == "POST":
        try:
            application = bundles.bundle_application_create(
                applicant=applicant,
                center=center,
                bundle_code=bundle.code,
                answers=_answers_of(request, bundle),
                form={"phone": applicant.person.phone},
            )
        except DomainError as exc:
            item_views._errors(request, exc)
        else:
            messages.success(request, _("Draft saved: now fill in the form and upload the materials."))
            return item_views._back(request, application)
    subject, agent = applicant_data(applicant, {})
    return guide_render(
        request,
        "portal/apply/bundle_start.html",
        center,
        {
            "bundle": bundle,
            "questions": bundle_definition(bundle).questions,
            "subject": item_views._shown(subject, agent),
            "agent": agent and {"name": agent["name"]},
            "existing": existing,
        },
    )


def application(request: HttpRequest, center: Center, found: OnlineApplication) -> HttpResponse:
    view = bundle_pages.bundle_view(found)
    subject, agent = applicant_data(Applicant(person=found.person, enterprise=found.enterprise), found.form)
    return guide_render(
        request,
        "portal/apply/bundle_application.html",
        center,
        {
            "a": found,
            "view": view,
            "subject": item_views._shown(subject, agent),
            "agent": agent and {"name": agent["name"]},
            "editable": found.status in (OnlineApplication.Status.DRAFT, OnlineApplication.Status.RETURNED),
            "delivery_methods": DELIVERY_METHODS,
        },
    )


def save(request: HttpRequest, applicant: Applicant, found: OnlineApplication) -> OnlineApplication | None:
    bundle = bundles.bundle_of(found.center_id, found.bundle_code)
    try:
        return bundles.bundle_application_save(
            applicant=applicant,
            pk=found.pk,
            version=request.POST.get("version"),
            answers=_answers_of(request, bundle),
            form=_form_of(request, bundle),
        )
    except DomainError as exc:
        item_views._errors(request, exc)
    return None


def upload(request: HttpRequest, applicant: Applicant, found: OnlineApplication, file: Any) -> None:
    bundles.bundle_file_add(
        applicant=applicant, pk=found.pk, material=request.POST.get("material"), file=file
    )


def submit(request: HttpRequest, applicant: Applicant, found: OnlineApplication) -> None:
    """Save the page's form first, then submit (or resubmit after a return)."""
    version = request.POST.get("version")
    if "address" in request.POST:
        saved = save(request, applicant, found)
        if saved is None:
            return
        version = str(saved.version)
    try:
        if found.status == OnlineApplication.Status.RETURNED:
            bundles.bundle_application_resubmit(applicant=applicant, pk=found.pk, version=version)
            messages.success(request, _("Resubmitted: the department reviews it again."))
        else:
            bundles.bundle_application_submit(applicant=applicant, pk=found.pk, version=version)
            messages.success(request, _("Submitted: the department pre-reviews it now."))
    except (ValidationFailed, Conflict) as exc:
        item_views._errors(request, exc)


def download(
    request: HttpRequest, center: Center, found: OnlineApplication, file_id: int
) -> HttpResponseBase:
    row = OnlineBundleFile.objects.filter(application=found, pk=file_id).first()
    if row is None:
        return not_found(request, center)
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.original_name)


__all__ = ["HttpResponseRedirect", "application", "apply_bundle", "download", "save", "submit", "upload"]

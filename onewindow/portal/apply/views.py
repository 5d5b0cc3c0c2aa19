"""Apply online (网上申报): the applicant signs in (portal:signin, back with ?next=), starts a
draft from the item page, fills in the form, uploads a file per material (PDF, JPG, PNG, OFD;
streamed to storage), saves, submits; after a return for correction replaces the files and
resubmits. Thin: every write goes through `onewindow.online.services` with the version the page
showed (stale: a clear message); who may act for an application is the domain's rule (others
get a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from onewindow.cases.versions import published_version
from onewindow.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from onewindow.identity.sessions import Applicant
from onewindow.online import bundles, pages, selectors, services
from onewindow.online.models import OnlineApplication, OnlineFile
from onewindow.online.rules import DELIVERY_METHODS, applicant_data
from onewindow.org.models import Center
from onewindow.portal.apply import bundle_views
from onewindow.portal.apply.helpers import _back, _errors, _shown, applicant_page
from onewindow.portal.views.base import guide_render, not_found


def _form_of(request: HttpRequest) -> dict[str, str]:
    return {key: request.POST.get(key, "") for key in ("address", "phone", "delivery_method", "note")}


@applicant_page
def apply_item(request: HttpRequest, center: Center, applicant: Applicant, code: str) -> HttpResponse:
    """The application page of an item: the applicant block from the account, the form, the
    materials; starting saves a draft (then the uploads)."""
    version = published_version(center, code)
    if not version.online_allowed:
        raise NotFound(_("This item cannot be applied for online."))
    existing = (
        selectors.applications_of(applicant)
        .filter(center=center, item_code=version.item.code, status=OnlineApplication.Status.DRAFT)
        .first()
    )
    if request.method == "POST":
        try:
            application = services.application_create(
                applicant=applicant, center=center, item_code=code, form=_form_of(request)
            )
        except DomainError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Draft saved: now upload the materials."))
            return _back(request, application, "#materials")
    subject, agent = applicant_data(applicant, {})
    return guide_render(
        request,
        "portal/apply/start.html",
        center,
        {
            "version": version,
            "subject": _shown(subject, agent),
            "agent": agent and {"name": agent["name"]},
            "existing": existing,
            "materials": selectors.materials(version),
            "delivery_methods": DELIVERY_METHODS,
            "form": _form_of(request) if request.method == "POST" else {"phone": applicant.person.phone},
        },
    )


@applicant_page
def application(request: HttpRequest, center: Center, applicant: Applicant, pk: int) -> HttpResponse:
    """One application: status, what to do next, the form, the materials and uploads, the
    rounds with their correction lists and, once accepted, the case number and its notice."""
    found = selectors.application_for(applicant, pk)
    if found.bundle_code:
        return bundle_views.application(request, center, found)
    view = pages.application_view(found)
    subject, agent = applicant_data(Applicant(person=found.person, enterprise=found.enterprise), found.form)
    return guide_render(
        request,
        "portal/apply/application.html",
        center,
        {
            "a": found,
            "view": view,
            "case": found.case,
            "subject": _shown(subject, agent),
            "agent": agent and {"name": agent["name"]},
            "editable": found.status in services.EDITABLE,
            "delivery_methods": DELIVERY_METHODS,
        },
    )


@require_POST
@applicant_page
def save(request: HttpRequest, center: Center, applicant: Applicant, pk: int) -> HttpResponse:
    found = selectors.application_for(applicant, pk)
    if found.bundle_code:
        if bundle_views.save(request, applicant, found) is not None:
            messages.success(request, _("Saved."))
        return _back(request, pk)
    try:
        services.application_save(
            applicant=applicant, pk=pk, version=request.POST.get("version"), form=_form_of(request)
        )
    except DomainError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Saved."))
    return _back(request, pk)


@require_POST
@applicant_page
def upload(request: HttpRequest, center: Center, applicant: Applicant, pk: int) -> HttpResponse:
    file = request.FILES.get("file")
    if file is None:
        messages.error(request, _("Choose a file to upload."))
        return _back(request, pk, "#materials")
    try:
        found = selectors.application_for(applicant, pk)
        if found.bundle_code:
            bundle_views.upload(request, applicant, found, file)
        else:
            services.application_file_add(
                applicant=applicant, pk=pk, material_id=request.POST.get("material"), file=file
            )
    except DomainError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Uploaded: %(name)s.") % {"name": file.name})
    return _back(request, pk, "#materials")


@require_POST
@applicant_page
def remove(request: HttpRequest, center: Center, applicant: Applicant, pk: int, file_id: int) -> HttpResponse:
    try:
        if selectors.application_for(applicant, pk).bundle_code:
            bundles.bundle_file_remove(applicant=applicant, pk=pk, file_id=file_id)
        else:
            services.application_file_remove(applicant=applicant, pk=pk, file_id=file_id)
    except DomainError as exc:
        _errors(request, exc)
    return _back(request, pk, "#materials")


@require_POST
@applicant_page
def submit(request: HttpRequest, center: Center, applicant: Applicant, pk: int) -> HttpResponse:
    """Submit a draft, or resubmit a returned application (the form is saved first)."""
    version = request.POST.get("version")
    bundle_found = selectors.application_for(applicant, pk)
    if bundle_found.bundle_code:
        bundle_views.submit(request, applicant, bundle_found)
        return _back(request, pk)
    try:
        found = selectors.application_for(applicant, pk)
        if "address" in request.POST:
            version = str(
                services.application_save(
                    applicant=applicant, pk=pk, version=version, form=_form_of(request)
                ).version
            )
        if found.status == OnlineApplication.Status.RETURNED:
            services.application_resubmit(applicant=applicant, pk=pk, version=version)
            messages.success(request, _("Resubmitted: the department reviews it again."))
        else:
            services.application_submit(applicant=applicant, pk=pk, version=version)
            messages.success(request, _("Submitted: the department pre-reviews it now."))
    except (ValidationFailed, Conflict) as exc:
        _errors(request, exc)
    return _back(request, pk)


@require_POST
@applicant_page
def delete(request: HttpRequest, center: Center, applicant: Applicant, pk: int) -> HttpResponse:
    try:
        services.application_delete(applicant=applicant, pk=pk, version=request.POST.get("version") or None)
    except (ValidationFailed, Conflict) as exc:
        _errors(request, exc)
        return _back(request, pk)
    messages.success(request, _("The draft was deleted."))
    return HttpResponseRedirect(reverse("portal:home"))


@require_GET
@applicant_page
def download(
    request: HttpRequest, center: Center, applicant: Applicant, pk: int, file_id: int
) -> HttpResponseBase:
    """The applicant's own upload (an attachment, never shown inline)."""
    found = selectors.application_for(applicant, pk)
    if found.bundle_code:
        return bundle_views.download(request, center, found, file_id)
    row = OnlineFile.objects.filter(application=found, pk=file_id).first()
    if row is None:
        return not_found(request, center)
    return FileResponse(row.file.open("rb"), as_attachment=True, filename=row.original_name)

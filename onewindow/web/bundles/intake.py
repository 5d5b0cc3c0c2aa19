"""The window's bundle intake (一件事 窗口受理): choose a bundle, answer its situation questions
(the items follow the answers), enter the applicant, fill the one form, tick the de-duplicated
materials once, then accept, ask for the one merged correction, or refuse the whole bundle.

Thin: the intake is `approvals.services.bundle_case_intake`; a submission without an answer
button (a changed situation answer, data-autosubmit) only re-renders the page with the items
the answers select, keeping what was typed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from onewindow.approvals import pages, services
from onewindow.approvals.models import BundleCase
from onewindow.catalog.models import Bundle
from onewindow.core.errors import NotFound, PermissionDenied, ValidationFailed
from onewindow.web.access import forbidden, staff_page
from onewindow.web.bundles.forms import BundleIntakeForm
from onewindow.web.cases.common import ACCEPT_CASE


def _render(
    request: HttpRequest,
    bundle: Bundle | None,
    form: BundleIntakeForm | None,
    *,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    items: list[pages.PreviewItem] = []
    complete = False
    if bundle is not None and form is not None:
        items, complete = pages.preview_items(bundle, form.answers())
    return render(
        request,
        "web/bundles/intake.html",
        {
            "nav_active": "bundle_intake",
            "bundles": list(pages.active_bundles(user.center)) if bundle is None else [],
            "bundle": bundle,
            "form": form,
            "items": items,
            "items_complete": complete,
            "error": error,
        },
        status=status,
    )


@staff_page(ACCEPT_CASE)
def bundle_intake(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not user.center_id:
        return forbidden(request, reason=_("Your account is not attached to a service center."))
    code = (request.POST.get("bundle") or request.GET.get("bundle") or "").strip()[:40]
    if not code:
        return _render(request, None, None)
    bundle = pages.bundle_for_intake(user.center, code)
    if bundle is None:
        return _render(
            request, None, None, error=_("No active bundle with code %(code)s.") % {"code": code}, status=404
        )
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action not in BundleIntakeForm.ACTIONS:
        # the first visit, or a changed answer: the page again with what was typed, no errors
        initial = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
        return _render(request, bundle, BundleIntakeForm(initial=initial, bundle=bundle))
    form = BundleIntakeForm(request.POST, bundle=bundle)
    valid = form.is_valid()
    bundle_case: BundleCase | None = None
    try:
        # Every problem in one round: the service checks what the form let through; when the
        # form itself found a problem, whatever the service did is rolled back.
        with transaction.atomic():
            bundle_case = services.bundle_case_intake(
                actor=user,
                center=user.center,
                bundle_code=bundle.code,
                answers=form.answers(),
                applicant=form.applicant(),
                form=form.form_values(),
                materials=form.materials_received(),
                action=action,
                note=form.cleaned_data.get("note", ""),
                correction_items=form.correction_items() if action == "correct" else None,
                delivery_method=form.cleaned_data.get("delivery_method") or "pickup",
            )
            if not valid:
                transaction.set_rollback(True)
                bundle_case = None
    except ValidationFailed as exc:
        form.add_service_errors(exc.details)
        return _render(request, bundle, form, error=_("Check the fields marked below."), status=422)
    except (PermissionDenied, NotFound) as exc:
        return _render(request, bundle, form, error=exc.message, status=exc.status)
    if bundle_case is None:
        return _render(request, bundle, form, error=_("Check the fields marked below."), status=422)
    notice = bundle_case.notices.order_by("-issued_at", "-id").first()
    if action == "accept":
        messages.success(
            request,
            _("Accepted: bundle case %(number)s, %(count)s sub-cases opened.")
            % {"number": bundle_case.number, "count": bundle_case.sub_cases.exclude(case=None).count()},
        )
    elif action == "correct":
        messages.warning(request, _("The merged one-time correction notice has been issued."))
    else:
        messages.warning(request, _("The bundle application has been refused."))
    url = reverse("web:bundle_case", args=[bundle_case.number])
    if notice is not None:
        url += "?" + urlencode({"notice": notice.number})
    return HttpResponseRedirect(url)

"""Verifying an applicant at the window (L4): a clerk looks the account up by phone (shown
masked), checks the ID card, enters or confirms the name and ID number, and verifies."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from onewindow.cases.applicants import is_valid_mobile, normalise_phone
from onewindow.core.errors import DomainError
from onewindow.core.masking import mask_name
from onewindow.identity.selectors import person_by_phone
from onewindow.identity.services import person_verify
from onewindow.web.access import StaffRequest, staff_page

PERMISSION = "identity.verify_person"


@staff_page(PERMISSION)
def applicant_verify(request: StaffRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    phone = normalise_phone((source.get("phone") or "")[:20])
    context: dict[str, Any] = {"nav_active": "applicant_verify", "phone": phone, "person": None}
    status = 200
    if phone and not is_valid_mobile(phone):
        context["error"] = _("Enter a mainland mobile number (11 digits, e.g. 13812345678).")
        status = 422
    elif phone:
        context["person"] = person_by_phone(phone)
        context["looked_up"] = True
    person = context["person"]
    if person is not None:
        context["masked_name"] = mask_name(person.name)
    if request.method == "POST" and person is not None:
        try:
            person_verify(
                person_id=person.pk,
                name=request.POST.get("name", "")[:100],
                id_type=request.POST.get("id_type", "resident_id")[:20],
                id_number=request.POST.get("id_number", "")[:40],
                actor=request.user,
            )
        except DomainError as exc:
            context.update(error=exc.message, details=exc.details or {}, posted=request.POST)
            status = exc.status
        else:
            messages.success(request, _("The applicant's identity is verified (level 4)."))
            return redirect(f"{request.path}?phone={phone}")
    return render(request, "web/identity/verify.html", context, status=status)

"""Pickup and delivery pages: the results waiting for pickup (per window), the delivery form
(who collected the result, or the mailing) and the printable proof of service (送达回证).

Thin: the delivery is the `deliver` action of `cases.services.case_act` (its rules in
`cases.delivery`); the lists come from `cases.delivery`'s selectors, within the data scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onewindow.approvals import pages as approval_pages
from onewindow.cases import clock as case_clock
from onewindow.cases import delivery_selectors as delivery
from onewindow.cases import services
from onewindow.cases.delivery_models import CaseDelivery
from onewindow.cases.evaluation_links import DELIVERY as DELIVERY_NOTICE
from onewindow.cases.evaluation_links import evaluation_link
from onewindow.cases.facts import STATUS_LABELS, Status
from onewindow.cases.models import Case
from onewindow.cases.transitions import DELIVER, DELIVER_CASE
from onewindow.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from onewindow.web.access import staff_page
from onewindow.web.cases import notices as notice_pages
from onewindow.web.cases.common import VIEW_CASE, case_or_none, case_url, conflict_message, not_found
from onewindow.web.cases.forms import service_field_errors

RELATION_LABELS = dict(CaseDelivery.Relation.choices)
METHOD_LABELS = dict(CaseDelivery.Method.choices)


def chinese_date(day: dt.date | None) -> str:
    """2026年12月7日 (Chinese pages), otherwise the language's long date."""
    if day is None:
        return ""
    if (translation.get_language() or "").startswith("zh"):
        return f"{day.year}年{day.month}月{day.day}日"
    return date_format(day, "DATE_FORMAT")


def _no_case(request: HttpRequest, number: str) -> HttpResponse:
    return not_found(
        request, _("No case with the number %(number)s in your scope.") % {"number": number[:40]}
    )


# --- the results waiting for pickup -----------------------------------------------------------------


@staff_page(VIEW_CASE)
def pickup_list(request: HttpRequest) -> HttpResponse:
    """The completed results not yet delivered, of the user's window by default (`?window=` an
    other window's id, or `all`), the longest waiting first; flagged past the warning limit."""
    user: Any = request.user
    windows = delivery.waiting_windows(user)
    own_window = user.window_id
    chosen = request.GET.get("window", "")
    window_id: int | None
    if chosen == "all":
        window_id = None
    elif chosen.isdigit():
        window_id = int(chosen)
    else:
        window_id = own_window
        chosen = str(own_window) if own_window else "all"
    if own_window and all(wid != own_window for wid, _name, _n in windows):
        windows.insert(0, (own_window, user.window.name, 0))
    choices = [(wid, _("%(name)s (%(count)s)") % {"name": name, "count": n}) for wid, name, n in windows]
    # a bundle's sub-cases are handed out together, with their bundle (one pickup)
    rows = [r for r in delivery.waiting_for_pickup(user, window_id=window_id) if not r.case.joint]
    return render(
        request,
        "web/cases/pickup.html",
        {
            "nav_active": "pickup",
            "rows": rows,
            "windows": choices,
            "chosen": chosen,
            "warn_days": delivery.pickup_warn_days(),
            "flagged": sum(1 for r in rows if r.overdue),
            "limit": delivery.WAITING_LIMIT,
            "bundles": approval_pages.decided_bundles(user),
        },
    )


# --- the delivery form ---------------------------------------------------------------------------------


class DeliveryForm(forms.Form):
    """The `deliver` action's parameters with their labels; the rules are the service's."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    method = forms.ChoiceField(
        label=gettext_lazy("How is the result delivered?"),
        choices=CaseDelivery.Method.choices,
        widget=forms.RadioSelect,
    )
    recipient_relation = forms.ChoiceField(
        label=gettext_lazy("Who collects it"),
        choices=CaseDelivery.Relation.choices,
        required=False,
        initial=CaseDelivery.Relation.SELF,
    )
    recipient_name = forms.CharField(
        label=gettext_lazy("Recipient's name"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Leave empty when the applicant collects in person."),
    )
    recipient_id_number = forms.CharField(
        label=gettext_lazy("Recipient's ID number"),
        max_length=40,
        required=False,
        help_text=gettext_lazy(
            "Check the identity document. Leave empty when the applicant collects in person: "
            "the number on record is used."
        ),
    )
    carrier = forms.CharField(label=gettext_lazy("Carrier"), max_length=50, required=False)
    tracking_number = forms.CharField(label=gettext_lazy("Tracking number"), max_length=50, required=False)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    PICKUP_FIELDS = ("recipient_relation", "recipient_name", "recipient_id_number")
    MAIL_FIELDS = ("carrier", "tracking_number")

    def service_params(self) -> dict[str, Any]:
        """The parameters for the method chosen (the other method's fields are left out)."""
        d = self.cleaned_data
        skip = self.MAIL_FIELDS if d["method"] == CaseDelivery.Method.PICKUP else self.PICKUP_FIELDS
        return {
            name: d[name]
            for name in self.fields
            if name not in ("version", *skip) and d.get(name) not in (None, "")
        }

    def add_service_errors(self, details: Any, fallback: str) -> None:
        placed = False
        for field, errors in service_field_errors(details).items():
            for error in errors:
                self.add_error(field if field in self.fields else None, error)
                placed = True
        if not placed:
            self.add_error(None, fallback)


def _deliver_page(request: HttpRequest, case: Case, form: DeliveryForm, status: int = 200) -> HttpResponse:
    return render(
        request,
        "web/cases/deliver.html",
        {
            "nav_active": "pickup",
            "case": case,
            "form": form,
            "status_label": STATUS_LABELS.get(case.status, case.status),
            "can_deliver": case.status == Status.COMPLETED,
        },
        status=status,
    )


@staff_page(DELIVER_CASE)
def case_deliver(request: HttpRequest, number: str) -> HttpResponse:
    """Record the delivery of a completed case: who collected it, or how it was mailed."""
    case = case_or_none(request, number)
    if case is None:
        return _no_case(request, number)
    if request.method != "POST":
        form = DeliveryForm(
            initial={"version": case.version, "method": case.delivery_method, "recipient_relation": "self"}
        )
        return _deliver_page(request, case, form)
    form = DeliveryForm(request.POST)
    if not form.is_valid():
        return _deliver_page(request, case, form, 422)
    try:
        services.case_act(
            case=case,
            action=DELIVER,
            version=form.cleaned_data["version"],
            actor=request.user,  # type: ignore[arg-type]
            **form.service_params(),
        )
    except Conflict:
        case.refresh_from_db()
        form.add_error(None, conflict_message())
        return _deliver_page(request, case, form, 409)
    except (InvalidTransition, PermissionDenied) as exc:
        form.add_error(None, exc.message)
        return _deliver_page(request, case, form, exc.status)
    except ValidationFailed as exc:
        form.add_service_errors(exc.details, exc.message)
        return _deliver_page(request, case, form, 422)
    messages.success(request, _("The delivery is recorded. The proof of service is ready to print."))
    return HttpResponseRedirect(reverse("web:case_proof_of_service", args=[case.display_number]))


# --- the proof of service (送达回证) -------------------------------------------------------------------


@staff_page(VIEW_CASE)
def case_proof_of_service(request: HttpRequest, number: str) -> HttpResponse:
    """The printable proof of service of a delivered case (A4, the notices' style)."""
    case = case_or_none(request, number)
    if case is None:
        return _no_case(request, number)
    row = delivery.delivery_of(case)
    if row is None:
        return not_found(request, _("This case has no recorded delivery yet."))
    documents = delivery.delivered_documents(case)
    decision = documents.decision
    lines = (
        [_("%(title)s (No. %(number)s)") % {"title": notice_pages.title(decision), "number": decision.number}]
        if decision is not None
        else []
    )
    lines += [_("Certificate No. %(number)s") % {"number": n} for n in documents.certificate_numbers]
    method = METHOD_LABELS.get(row.method, row.method)
    if row.method == CaseDelivery.Method.MAIL:
        how = _("%(method)s: %(carrier)s, tracking number %(number)s") % {
            "method": method,
            "carrier": row.carrier or "—",
            "number": row.tracking_number,
        }
    else:
        how = str(method)
    recipient = (
        _("%(name)s (ID number %(id)s), %(relation)s")
        % {
            "name": row.recipient_name,
            "id": row.masked_recipient_id_number,
            "relation": RELATION_LABELS.get(row.recipient_relation, ""),
        }
        if row.method == CaseDelivery.Method.PICKUP
        else ""
    )
    return render(
        request,
        "web/cases/proof_of_service.html",
        {
            "case": case,
            "delivery": row,
            "center_name": case.center.name,
            "documents": lines,
            "item": _("%(name)s (%(code)s)")
            % {"name": case.item_version.name, "code": case.item_version.item.code},
            "applicant": _("%(name)s (ID number %(id)s)")
            % {"name": case.applicant_name, "id": case.masked_id_number},
            "how": how,
            "recipient": recipient,
            "delivered_date": chinese_date(case_clock.local_date(row.delivered_at)),
            "case_url": case_url(case),
            **_evaluation_qr(case, request),
        },
    )


def _evaluation_qr(case: Case, request: HttpRequest) -> dict[str, str]:
    """The QR code “扫码评价” of the completion (cases/evaluation_links.py), if one is open."""
    url = evaluation_link(case, DELIVERY_NOTICE, request)
    return {"evaluation_url": url, "evaluation_qr_svg": notice_pages.qr_svg(url) if url else ""}

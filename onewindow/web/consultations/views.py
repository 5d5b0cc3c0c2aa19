"""The staff consultation pages: the department queue (waiting ones by due time, yellow/red;
answered; closed; the anomaly tab), one thread with the reply form and close, and the items'
frequent questions (consultations.manage_faq).

Who sees the queue: consultations.reply_consultation, or supervision.supervise (read only), for
the departments of the account's data scope. Lists mask names, phones and free text.
Plain forms and redirects (no JS needed); with htmx, the queue refreshes itself every 30 s.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from onewindow.catalog.models import ServiceItem
from onewindow.consultations import faq, selectors, services
from onewindow.consultations.models import Consultation
from onewindow.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from onewindow.core.masking import mask_free_text, mask_id_number, mask_name, mask_phone
from onewindow.identity.models import Person
from onewindow.org.selectors import departments_for, in_data_scope
from onewindow.web.access import forbidden, staff_page
from onewindow.web.cases.common import not_found

TABS = ("waiting", "answered", "closed", "anomalies")


def _may_view(request: HttpRequest) -> bool:
    return selectors.may_view_queue(request.user)


@staff_page()
def consultation_queue(request: HttpRequest) -> HttpResponse:
    if not _may_view(request):
        return forbidden(request)
    user: Any = request.user
    tab = request.GET.get("tab", "waiting")
    tab = tab if tab in TABS else "waiting"
    departments = list(departments_for(user).filter(active=True).order_by("code"))
    code = (request.GET.get("department") or "").strip()[:20]
    department = next((d for d in departments if d.code == code), None)
    context: dict[str, Any] = {
        "nav_active": "consultations",
        "tab": tab,
        "departments": departments,
        "department": department,
        "counts": selectors.waiting_counts(user),
        "rows": [],
        "anomalies": [],
    }
    if tab == "anomalies":
        names = {}
        found = [
            a for a in selectors.anomalies(user) if department is None or a.department_id == department.pk
        ]
        for person in Person.objects.filter(pk__in=[a.person_id for a in found]).only("name", "phone"):
            names[person.pk] = (mask_name(person.name), mask_phone(person.phone))
        context["anomalies"] = [
            {
                "a": a,
                "id_number": mask_id_number(a.applicant_id_number),
                "person": names.get(a.person_id, ("", "")),
            }
            for a in found
        ]
    else:
        rows = list(
            selectors.queue(user, status=tab, department_id=department.pk if department else None)[:200]
        )
        previews = selectors.first_messages([c.pk for c in rows])
        context["rows"] = [
            {
                "c": c,
                "wait": c.open_waits[0] if c.open_waits else None,  # type: ignore[attr-defined]
                "name": mask_name(c.person.name),
                "phone": mask_phone(c.person.phone),
                "preview": mask_free_text(previews.get(c.pk, ""))[:80],
            }
            for c in rows
        ]
    return render(request, "web/consultations/queue.html", context)


def _thread_context(request: HttpRequest, c: Consultation, **extra: Any) -> dict[str, Any]:
    version = c.item.published_version if c.item is not None else None
    return {
        "nav_active": "consultations",
        "c": c,
        "name": mask_name(c.person.name),
        "phone": mask_phone(c.person.phone),
        "may_reply": services.may_reply(request.user, c) and c.status != Consultation.Status.CLOSED,
        "open_wait": next((w for w in c.waits.all() if w.ended_at is None), None),
        "waits": list(c.waits.all()),
        "apply_allowed": bool(version is not None and version.online_allowed),
        **extra,
    }


@staff_page()
def consultation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not _may_view(request):
        return forbidden(request)
    try:
        c = selectors.consultation_for_staff(request.user, pk)
    except NotFound:
        return not_found(request, _("No consultation with this number in your scope."))
    return render(request, "web/consultations/thread.html", _thread_context(request, c))


def _version(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("version") or 0)
    except ValueError:
        return 0


@require_POST
@staff_page(services.REPLY)
def consultation_reply(request: HttpRequest, pk: int) -> HttpResponse:
    body = (request.POST.get("body") or "")[:3000]
    try:
        services.consultation_reply(
            consultation_id=pk, actor=request.user, body=body, version=_version(request)
        )
    except NotFound:
        return not_found(request, _("No consultation with this number in your scope."))
    except Conflict as exc:
        messages.error(request, exc.message)
    except DomainError as exc:
        c = selectors.consultation_for_staff(request.user, pk)
        errors = exc.details if isinstance(exc, ValidationFailed) else {}
        context = _thread_context(request, c, error=exc.message, errors=errors or {}, body=body)
        return render(request, "web/consultations/thread.html", context, status=422)
    else:
        messages.success(request, _("Reply sent; the applicant is told by SMS."))
    return HttpResponseRedirect(reverse("web:consultation", args=[pk]))


@require_POST
@staff_page(services.REPLY)
def consultation_close(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        services.consultation_close(consultation_id=pk, actor=request.user, version=_version(request))
    except NotFound:
        return not_found(request, _("No consultation with this number in your scope."))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Consultation closed."))
    return HttpResponseRedirect(reverse("web:consultation", args=[pk]))


# --- frequent questions ------------------------------------------------------------------------


@staff_page(faq.MANAGE)
def faq_items(request: HttpRequest) -> HttpResponse:
    items = list(selectors.faq_items(request.user)[:500])
    return render(
        request, "web/consultations/faq_items.html", {"nav_active": "consultations", "items": items}
    )


def _item(request: HttpRequest, code: str) -> ServiceItem | None:
    user: Any = request.user
    item = (
        ServiceItem.objects.select_related("published_version__department")
        .filter(center_id=user.center_id, code=code, published_version__isnull=False)
        .first()
    )
    if item is None or item.published_version is None:
        return None
    if not in_data_scope(user, center_id=item.center_id, department_id=item.published_version.department_id):
        return None
    return item


@staff_page(faq.MANAGE)
def faq_item(request: HttpRequest, code: str) -> HttpResponse:
    item = _item(request, code[:40])
    if item is None:
        return not_found(request, _("No service item with this code in your scope."))
    error = ""
    errors: dict[str, Any] = {}
    values: dict[str, Any] = {"question": "", "answer": "", "published": False}
    if request.method == "POST":
        op = request.POST.get("op", "add")
        values = {
            "question": (request.POST.get("question") or "")[:400],
            "answer": (request.POST.get("answer") or "")[:5000],
            "published": request.POST.get("published") == "on",
        }
        try:
            faq_id = int(request.POST.get("faq") or 0)
        except ValueError:
            faq_id = 0
        try:
            if op in ("up", "down"):
                faq.faq_move(actor=request.user, item=item, faq_id=faq_id, up=op == "up")
            elif op == "edit":
                faq.faq_edit(actor=request.user, item=item, faq_id=faq_id, **values)  # type: ignore[arg-type]
            else:
                faq.faq_add(actor=request.user, item=item, **values)  # type: ignore[arg-type]
        except DomainError as exc:
            error = exc.message
            errors = exc.details if isinstance(exc, ValidationFailed) and exc.details else {}
        else:
            messages.success(request, _("Frequent questions saved."))
            return HttpResponseRedirect(reverse("web:consultation_faq_item", args=[item.code]))
    context = {
        "nav_active": "consultations",
        "item": item,
        "faqs": selectors.faqs_for_edit(item),
        "error": error,
        "errors": errors,
        "values": values,
    }
    return render(request, "web/consultations/faq_item.html", context, status=422 if error else 200)

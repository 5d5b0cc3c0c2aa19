"""The window evaluators' page (feedback.manage_evaluator): the evaluators of the windows in the
account's scope, a form to set one up (its key is shown once, on the answer to that form) and a
revoke button per evaluator."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.feedback import devices
from onewindow.feedback import staff_selectors as selectors
from onewindow.web.access import staff_page


@never_cache
@staff_page(devices.MANAGE)
def evaluator_devices(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    windows = list(selectors.windows_for(user))
    created: tuple[Any, str] | None = None
    error = ""
    errors: dict[str, Any] = {}
    values = {"window": "", "name": ""}
    if request.method == "POST":
        op = request.POST.get("op")
        if op == "revoke":
            try:
                device_id = int(request.POST.get("device") or 0)
            except ValueError:
                device_id = 0
            try:
                device = devices.device_revoke(device_id=device_id, actor=user)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Evaluator %(name)s revoked.") % {"name": device.name})
            return HttpResponseRedirect(reverse("web:evaluator_devices"))
        values = {
            "window": (request.POST.get("window") or "")[:20],
            "name": (request.POST.get("name") or "")[:100],
        }
        window = next((w for w in windows if w.code == values["window"]), None)
        if window is None:
            errors["window"] = [_("Choose the window the tablet stands at.")]
            error = _("Check the evaluator.")
        else:
            try:
                created = devices.device_create(window=window, name=values["name"], actor=user)
            except DomainError as exc:
                error = exc.message
                errors = dict(exc.details or {}) if isinstance(exc, ValidationFailed) else {}
            else:
                values = {"window": "", "name": ""}
    context = {
        "nav_active": "evaluator_devices",
        "windows": windows,
        "devices": list(selectors.devices_for(user)),
        "created": created[0] if created else None,
        "created_key": created[1] if created else "",
        "pair_path": reverse("portal:evaluator_pair"),
        "values": values,
        "error": error,
        "errors": errors,
    }
    return render(request, "web/evaluations/devices.html", context, status=422 if error else 200)

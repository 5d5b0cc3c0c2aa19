"""The window evaluator (评价器): a tablet bound to one window, mounted at /evaluator/.

* `/evaluator/pair/`: paste the device key (from the staff page “Window evaluators”); it is kept
  in a signed, http-only, long-lived cookie. No staff login: the device is its own account kind.
* `/evaluator/`: the window's current occasion (feedback.staff_selectors.current_occasion) with
  five big level buttons, the offline template's indicators and an optional comment; a 差评 needs
  an indicator or a comment. Idle (“欢迎评价”) when nothing is current. The page asks
  `/evaluator/state/` every 5 s (evaluator.js) and reloads when the current occasion changes.
* `/evaluator/submit/` stores the evaluation (channel hall_tablet, the device) and shows a
  thank-you screen that returns to the evaluator after a few seconds.

A request carrying a staff session is refused (403): staff accounts never submit evaluations.
An unknown or revoked key goes back to pairing (its cookie is deleted).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from onewindow.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from onewindow.core.masking import mask_name
from onewindow.core.middleware import client_ip
from onewindow.feedback import devices
from onewindow.feedback.codes import BAD_LEVELS, Channel, Level, TemplateKind
from onewindow.feedback.models import EvaluatorDevice, ServiceOccasion
from onewindow.feedback.services import active_template, evaluation_submit
from onewindow.feedback.staff_selectors import current_occasion, item_name

COOKIE = "ow_evaluator"
COOKIE_SALT = "onewindow.portal.evaluator"
COOKIE_AGE = 400 * 24 * 3600  # about the longest a browser keeps a cookie
KEY_MAX = 200
TEXT_MAX = 500
# the big buttons, best first, with their face (a CSS class) — the levels of our own enum
LEVEL_BUTTONS = [
    (Level.VERY_SATISFIED, "l5"),
    (Level.SATISFIED, "l4"),
    (Level.BASICALLY_SATISFIED, "l3"),
    (Level.DISSATISFIED, "l2"),
    (Level.VERY_DISSATISFIED, "l1"),
]

View = Callable[..., HttpResponse]


def _staff_refused(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/evaluator/refused.html", status=403)


def _to_pairing(request: HttpRequest) -> HttpResponse:
    if request.headers.get("Accept", "").startswith("application/json"):
        response: HttpResponse = JsonResponse({"pair": True}, status=401)
    else:
        response = HttpResponseRedirect(reverse("portal:evaluator_pair"))
    response.delete_cookie(COOKIE)
    return response


def current_device(request: HttpRequest) -> EvaluatorDevice | None:
    key = request.get_signed_cookie(COOKIE, default=None, salt=COOKIE_SALT, max_age=COOKIE_AGE)
    return devices.device_from_key(key)


def device_page(view: View) -> View:
    """Refuse a staff session; send a request without a valid device key back to pairing."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return _staff_refused(request)
        device = current_device(request)
        if device is None:
            return _to_pairing(request)
        devices.device_seen(device)
        return view(request, device, *args, **kwargs)

    return never_cache(wrapped)


@never_cache
def pair(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return _staff_refused(request)
    error = ""
    if request.method == "POST":
        key = (request.POST.get("key") or "").strip()[:KEY_MAX]
        device = devices.device_from_key(key)
        if device is not None:
            response = HttpResponseRedirect(reverse("portal:evaluator"))
            response.set_signed_cookie(
                COOKIE,
                key,
                salt=COOKIE_SALT,
                max_age=COOKIE_AGE,
                httponly=True,
                secure=request.is_secure(),
                samesite="Lax",
            )
            return response
        error = _(
            "This key is unknown or revoked. Paste the whole key (it starts with owe_) that the "
            "center administrator was shown, or ask for a new evaluator."
        )
    paired = current_device(request)
    context = {"error": error, "paired": paired}
    return render(request, "portal/evaluator/pair.html", context, status=422 if error else 200)


def mask_number(number: str) -> str:
    """A case number with its middle hidden: 3205…0012 → 3205****0012 (the ends identify it to
    the applicant, not to the next person in line)."""
    if len(number) <= 8:
        return number[:2] + "*" * max(len(number) - 4, 0) + number[-2:]
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def _occasion_context(occasion: ServiceOccasion) -> dict[str, Any]:
    case = occasion.case
    staff = occasion.staff
    return {
        "occasion": occasion,
        "kind_label": occasion.get_kind_display(),
        "number": mask_number(case.display_number) if case is not None else occasion.ticket,
        "item_name": item_name(occasion),
        "applicant": mask_name(case.applicant_name) if case is not None else "",
        "staff_name": staff.display_name if staff is not None else "",
        "staff_initial": (staff.display_name or "?")[:1] if staff is not None else "",
    }


def _screen(
    request: HttpRequest, device: EvaluatorDevice, *, status: int = 200, **extra: Any
) -> HttpResponse:
    occasion = current_occasion(device.window_id)
    context: dict[str, Any] = {
        "device": device,
        "window": device.window,
        "occasion_id": occasion.pk if occasion is not None else "",
        "levels": [(value, Level(value).label, face) for value, face in LEVEL_BUTTONS],
        "bad_levels": " ".join(sorted(BAD_LEVELS)),
        "chosen_level": "",
        "chosen_tags": [],
        "text": "",
        **extra,
    }
    if occasion is None:
        return render(request, "portal/evaluator/idle.html", context, status=status)
    context.update(_occasion_context(occasion))
    try:
        context["indicators"] = active_template(TemplateKind.OFFLINE).indicators
    except NotFound:
        context["indicators"] = []
    return render(request, "portal/evaluator/screen.html", context, status=status)


@device_page
def screen(request: HttpRequest, device: EvaluatorDevice) -> HttpResponse:
    return _screen(request, device)


@device_page
def state(request: HttpRequest, device: EvaluatorDevice) -> HttpResponse:
    """What the page polls: the current occasion's id (or null)."""
    occasion = current_occasion(device.window_id)
    return JsonResponse({"occasion": occasion.pk if occasion is not None else None})


@require_POST
@device_page
def submit(request: HttpRequest, device: EvaluatorDevice) -> HttpResponse:
    try:
        occasion_id = int(request.POST.get("occasion") or 0)
    except ValueError:
        occasion_id = 0
    current = current_occasion(device.window_id)
    if current is None or current.pk != occasion_id:  # served elsewhere, or no longer current
        return _screen(request, device, status=409, notice=_("This service is no longer shown here."))
    level = request.POST.get("level") or ""
    tags = request.POST.getlist("tags")[:10]
    text = (request.POST.get("text") or "")[:TEXT_MAX]
    try:
        evaluation_submit(
            occasion=current,
            level=level,
            tags=tags,
            text=text,
            channel=Channel.HALL_TABLET,
            device=device,
            client_ip=client_ip(request) or None,
        )
    except ValidationFailed as exc:
        return _screen(
            request,
            device,
            status=422,
            error=exc.message,
            chosen_level=level,
            chosen_tags=tags,
            text=text,
        )
    except Conflict as exc:
        return _screen(request, device, status=409, notice=exc.message)
    except DomainError as exc:
        return _screen(request, device, status=422, error=exc.message)
    context = {"window": device.window, "level": Level(level).label}
    return render(request, "portal/evaluator/thanks.html", context)

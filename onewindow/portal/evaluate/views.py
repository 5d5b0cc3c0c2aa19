"""The public evaluation page of one service occasion (好差评 by QR code or SMS link).

`/evaluate/<token>/` shows the service (item, department, date: no personal data), the five
levels as big buttons, the indicator chips of the channel's template and a comment box; a plain
form POST (no script needed, CSRF as every portal form) submits through
`feedback.services.evaluation_submit`. A 差评 without a chip or a comment is refused with a
message saying what to add. Already evaluated, closed and invalid links get their own page;
a staff session is refused (staff accounts never evaluate). `?via=sms` (the SMS link) records
the channel SMS, otherwise QR code.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from onewindow.core import clock
from onewindow.core.errors import Conflict, ValidationFailed
from onewindow.core.middleware import client_ip
from onewindow.feedback import selectors
from onewindow.feedback.codes import BAD_LEVELS, TEMPLATE_KIND_BY_CHANNEL, Channel, Level
from onewindow.feedback.services import TEXT_MAX, active_template, evaluation_submit
from onewindow.feedback.tokens import VIA_SMS, occasion_id_from
from onewindow.identity.sessions import current_applicant
from onewindow.org.models import Center
from onewindow.portal.views.base import guide_render


def _channel(request: HttpRequest) -> str:
    via = request.POST.get("via") if request.method == "POST" else request.GET.get("via")
    return Channel.SMS if via == VIA_SMS else Channel.QR_CODE


def _occasion(token: str) -> selectors.PublicOccasion | None:
    occasion_id = occasion_id_from(token)
    return selectors.public_occasion(occasion_id, clock.now()) if occasion_id else None


def _center(found: selectors.PublicOccasion | None) -> Center | None:
    if found is None:
        return None
    return Center.objects.filter(pk=found.center_id).first()


def _page(
    request: HttpRequest, template: str, found: Any, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    return guide_render(
        request, f"portal/evaluate/{template}", _center(found), {"occasion": found, **context}, status=status
    )


def _refusal(request: HttpRequest, token: str) -> tuple[selectors.PublicOccasion | None, HttpResponse | None]:
    """The occasion, or the page that answers instead of the form."""
    found = _occasion(token)
    if found is None:
        return None, _page(request, "invalid.html", None, {}, status=404)
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return found, _page(request, "staff.html", found, {}, status=403)
    if found.evaluated:
        return found, _page(request, "done.html", found, {}, status=409 if request.method == "POST" else 200)
    if found.closed:
        return found, _page(
            request, "closed.html", found, {}, status=409 if request.method == "POST" else 200
        )
    return found, None


def evaluate(request: HttpRequest, token: str) -> HttpResponse:
    found, answer = _refusal(request, token)
    if answer is not None or found is None:
        return answer or _page(request, "invalid.html", None, {}, status=404)
    channel = _channel(request)
    template = active_template(TEMPLATE_KIND_BY_CHANNEL[channel])
    values: dict[str, Any] = {"level": "", "tags": [], "text": ""}
    message = ""
    errors: dict[str, Any] = {}
    if request.method == "POST":
        values = {
            "level": (request.POST.get("level") or "")[:30],
            "tags": request.POST.getlist("tags")[:20],
            "text": (request.POST.get("text") or "")[: TEXT_MAX + 1],
        }
        applicant = current_applicant(request)
        try:
            evaluation_submit(
                occasion=found.id,
                level=values["level"],
                tags=values["tags"],
                text=values["text"],
                channel=channel,
                applicant=applicant.person if applicant is not None else None,
                client_ip=client_ip(request) or None,
            )
        except ValidationFailed as exc:
            message = exc.message
            # the 差评 message already says what to add; other refusals list their fields
            errors = {} if exc.code == "bad_rating_needs_reason" else (exc.details or {})
        except Conflict:
            _found, answer = _refusal(request, token)
            return answer or _page(request, "done.html", found, {}, status=409)
        else:
            url = reverse("portal:evaluate_thanks", args=[token])
            return HttpResponseRedirect(url + ("?via=sms" if channel == Channel.SMS else ""))
    context = {
        "token": token,
        "via": VIA_SMS if channel == Channel.SMS else "",
        "levels": [(value, label, value in BAD_LEVELS) for value, label in Level.choices],
        "indicators": template.indicators,
        "values": values,
        "message": message,
        "errors": errors,
        "text_max": TEXT_MAX,
    }
    return _page(request, "form.html", found, context, status=422 if message else 200)


def thanks(request: HttpRequest, token: str) -> HttpResponse:
    found = _occasion(token)
    if found is None:
        return _page(request, "invalid.html", None, {}, status=404)
    if not found.evaluated:
        return HttpResponseRedirect(reverse("portal:evaluate", args=[token]))
    return _page(request, "thanks.html", found, {})

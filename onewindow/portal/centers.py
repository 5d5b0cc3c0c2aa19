"""Which center the public guide shows: the one place that choice is made.

`?center=CODE` picks a center explicitly (links then carry it along); without it the guide shows
the first city-level center by code, or the first center at all when there is no city level.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from onewindow.org.models import Center

PARAM = "center"


def default_center() -> Center | None:
    """The first city-level center by code; else the first center; None when there is none."""
    return (
        Center.objects.filter(level=Center.Level.CITY).order_by("code").first()
        or Center.objects.order_by("code").first()
    )


def portal_center(request: HttpRequest) -> Center | None:
    """The center the guide shows for this request. An unknown `?center=` is a 404, so a
    mistyped link says so instead of silently showing another center's catalog."""
    code = (request.GET.get(PARAM) or "").strip().upper()
    if code:
        center = Center.objects.filter(code=code).first()
        if center is None:
            raise Http404(_("There is no service center with code %(code)s.") % {"code": code[:20]})
        return center
    return default_center()


def center_query(request: HttpRequest, center: Center | None) -> str:
    """ "?center=CODE" when the request chose a center explicitly, else "": appended to links."""
    if center is not None and (request.GET.get(PARAM) or "").strip():
        return f"?{PARAM}={center.code}"
    return ""

"""The header's account tools: `{% acting_choices applicant as choices %}` (the enterprises the
applicant may act for) and `{% elderly_mode as elderly %}` (the elderly-friendly mode's cookie)."""

from __future__ import annotations

from typing import Any

from django import template

from onewindow.identity.selectors import Actable, enterprises_for
from onewindow.identity.sessions import Applicant

register = template.Library()

ELDERLY_COOKIE = "ow_elderly"


@register.simple_tag
def acting_choices(applicant: Applicant | None) -> list[Actable]:
    return enterprises_for(applicant.person) if applicant is not None else []


@register.simple_tag(takes_context=True)
def elderly_mode(context: Any) -> bool:
    request = context.get("request")
    return request is not None and request.COOKIES.get(ELDERLY_COOKIE) == "1"

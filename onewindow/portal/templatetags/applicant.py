"""`{% current_applicant as applicant %}`: the signed-in applicant of the online hall, or None."""

from __future__ import annotations

from typing import Any

from django import template

from onewindow.identity.sessions import Applicant, current_applicant

register = template.Library()


@register.simple_tag(takes_context=True, name="current_applicant")
def current_applicant_tag(context: Any) -> Applicant | None:
    request = context.get("request")
    return current_applicant(request) if request is not None else None

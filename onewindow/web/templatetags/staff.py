"""Template tags of the staff layout: `{% load staff %}`."""

from __future__ import annotations

from typing import Any

from django import template

from onewindow.org.roles import ROLE_BY_CODE
from onewindow.org.selectors import role_codes
from onewindow.web import navigation

register = template.Library()


@register.inclusion_tag("web/includes/nav.html", takes_context=True)
def staff_nav(context: template.Context) -> dict[str, Any]:
    """The navigation of the signed-in user; the page marks its entry with `nav_active`."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"links": navigation.nav_for(user, active=context.get("nav_active") or "")}


@register.simple_tag
def role_names(user: Any) -> str:
    """The display names of the user's roles, for the welcome line (display only: access is
    always decided by permission)."""
    names = [str(ROLE_BY_CODE[code].name) for code in sorted(role_codes(user)) if code in ROLE_BY_CODE]
    return "、".join(names)


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """0.5 -> "50.0%"; None -> "—"."""
    if value is None:
        return "—"
    return f"{value * 100:.{int(digits)}f}%"

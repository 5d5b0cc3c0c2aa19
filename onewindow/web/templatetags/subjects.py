"""`{% load subjects %}`: the link to what a supervision order or accountability record is about
— its case, or a subject that is not a case (issue 15: the rectification of a 差评, a complaint).

    {% subject_link order %}
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def subject_url(kind: str, ref: str) -> str:
    """The staff page of a subject ("" when there is none)."""
    try:
        if kind == "rectification" and ref.isdigit():
            return reverse("web:rectification", args=[int(ref)])
        if kind == "complaint" and ref:
            return f"{reverse('web:home')}complaints/{quote(ref, safe='')}/"
    except NoReverseMatch:
        return ""
    return ""


@register.simple_tag
def subject_link(row: Any) -> SafeString:
    """The case number linked to the case, else the subject's label linked to its page."""
    case = getattr(row, "case", None)
    if case is not None:
        number = case.display_number
        return format_html(
            '<a href="{}" data-testid="subject-case">{}</a>', reverse("web:case", args=[number]), number
        )
    kind, ref = getattr(row, "subject_kind", ""), getattr(row, "subject_ref", "")
    label = getattr(row, "subject_label", "") or f"{kind} {ref}".strip() or "—"
    url = subject_url(kind, ref)
    if not url:
        return format_html('<span data-subject="{}">{}</span>', kind, label)
    return format_html('<a href="{}" data-subject="{}" data-testid="subject-link">{}</a>', url, kind, label)

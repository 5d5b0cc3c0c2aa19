"""`{% item_faqs item as faqs %}`: the published frequent questions of a service item (for the
portal's item page, which is not this app's view)."""

from __future__ import annotations

from typing import Any

from django import template

from onewindow.consultations.models import FrequentQuestion
from onewindow.consultations.selectors import published_faqs

register = template.Library()


@register.simple_tag(name="item_faqs")
def item_faqs(item: Any) -> list[FrequentQuestion]:
    item_id = getattr(item, "pk", None)
    return published_faqs(item_id) if isinstance(item_id, int) else []

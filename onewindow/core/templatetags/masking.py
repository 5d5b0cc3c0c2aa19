"""Template filters for personal data: ``{% load masking %}``, then

- ``{{ event.opinion|mask_free_text }}``: ID numbers and phones typed into the text masked;
- ``{{ event.opinion|mask_free_text:revealed }}``: in full when `revealed` is true (the case page
  after the logged reveal), masked otherwise. The argument must exist in the context.
"""

from __future__ import annotations

from typing import Any

from django import template

from onewindow.core.masking import mask_free_text as _mask_free_text

register = template.Library()


@register.filter(name="mask_free_text")
def mask_free_text(value: Any, full: Any = False) -> Any:
    if full or value is None or value == "":
        return value
    return _mask_free_text(str(value))

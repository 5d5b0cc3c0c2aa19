"""Filling a template's {placeholders}: plain names only, so an edited template can never reach
attributes or indexes of the context values."""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from onewindow.core.errors import ValidationFailed

_FORMATTER = string.Formatter()


def placeholders(text: str) -> list[str]:
    """The placeholder names of `text`, in order of first use. Bad syntax → ValidationFailed."""
    names: list[str] = []
    try:
        parts = list(_FORMATTER.parse(text))
    except ValueError as exc:
        raise ValidationFailed(
            _("The text has unbalanced braces: write {{ and }} for literal braces."),
            details={"text": [str(exc)]},
        ) from exc
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValidationFailed(
                _("Placeholders are plain names in braces, such as {case_number}; not {%(bad)s}.")
                % {"bad": name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")},
                details={"text": [name or "{}"]},
            )
        if name not in names:
            names.append(name)
    return names


def render(text: str, context: Mapping[str, Any]) -> str:
    """`text` with each placeholder replaced by str(context[name]); a missing name → ValidationFailed."""
    names = placeholders(text)
    missing = [name for name in names if name not in context or context[name] is None]
    if missing:
        raise ValidationFailed(
            _("The message cannot be written: missing %(names)s.") % {"names": ", ".join(missing)},
            code="missing_placeholder",
            details={name: [_("This value is required by the template.")] for name in missing},
        )
    out: list[str] = []
    for literal, name, _spec, _conversion in _FORMATTER.parse(text):
        out.append(literal)
        if name is not None:
            out.append(str(context[name]))
    return tidy_punctuation("".join(out))


# A pause or stop mark (Chinese or ASCII) right before "。": a value that ends with its own
# punctuation, put before the template's "。" (理由：材料不全。。 → 理由：材料不全。).
_BEFORE_FULL_STOP = re.compile(r"[。，、；：,.;:]+。")
_MARK_BEFORE_FULL_STOP = re.compile(r"([！？!?])。")
_DOUBLED = re.compile(r"([，、；：])\1+")


def tidy_punctuation(text: str) -> str:
    """Collapse doubled punctuation a filled-in value can cause: "。。", "，。", ".。" → "。";
    "！。" → "！"; "，，" → "，". Text without such pairs is returned unchanged."""
    text = _BEFORE_FULL_STOP.sub("。", text)
    text = _MARK_BEFORE_FULL_STOP.sub(r"\1", text)
    return _DOUBLED.sub(r"\1", text)

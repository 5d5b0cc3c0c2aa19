"""Bounds on what the API accepts (issue 12 §5): no integer beyond what the database stores, no
string longer than its column. Input outside them is a 422 validation_failed naming the field.

- ids: 1 to 2^63 - 1 (a BigAutoField); counts, days and positions: a 32-bit integer;
  offsets: at most MAX_OFFSET, so that offset + limit still fits.
- strings kept in a CharField: that field's max_length (`column`); free text kept in a
  TextField (opinions, reasons, notes, demands): TEXT_MAX characters.
"""

from __future__ import annotations

from typing import Annotated

from django.db import models
from ninja import Path
from pydantic import Field

MAX_ID = 2**63 - 1
MAX_INT = 2**31 - 1
MAX_OFFSET = 2**31 - 1
TEXT_MAX = 2000

PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]


def column(model: type[models.Model], name: str) -> int:
    """The max_length of a model's CharField (Model._meta is Django's public Options API)."""
    length = model._meta.get_field(name).max_length  # type: ignore[union-attr]
    assert length is not None, f"{model.__name__}.{name} has no max_length"
    return int(length)

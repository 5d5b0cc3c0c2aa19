"""(filled in by issue 16)"""

from __future__ import annotations

from ninja import Router

router = Router()

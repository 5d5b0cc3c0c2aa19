"""(filled in by issue 15)"""

from __future__ import annotations

from ninja import Router

router = Router()
public_router = Router()

"""Placeholder router module: filled in by its app's work (issue 14)."""

from __future__ import annotations

from ninja import Router

public_router = Router()
router = Router()

"""Registers each domain's router on the API: one line per domain module."""

from __future__ import annotations

from ninja import NinjaAPI


def register(api: NinjaAPI) -> None:
    from onewindow.api import auth, bundles, calendar, cases, catalog, org, public, supervision

    api.add_router("/auth", auth.router, tags=["auth"])
    api.add_router("/calendar", calendar.router, tags=["calendar"])
    api.add_router("/", org.router, tags=["organisation"])
    api.add_router("/", catalog.router, tags=["catalog"])
    api.add_router("/", cases.router, tags=["cases"])
    api.add_router("/", bundles.router, tags=["bundle cases"])
    api.add_router("/public", public.public_router, tags=["public progress"])
    api.add_router("/supervision", supervision.router, tags=["supervision"])

"""The JSON API v1. Each domain adds one module here with a `router`, registered below."""

from __future__ import annotations

from django.urls import path
from ninja import NinjaAPI

from onewindow.api import errors
from onewindow.api.docs import docs_login_required

api = NinjaAPI(
    title="onewindow API",
    version="1",
    description="Government service center platform: catalog, calendar, cases, supervision.",
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=docs_login_required,  # a signed-in caller in production (onewindow.api.docs)
)
errors.install(api)

# Domain routers are registered in onewindow.api.routers (one module per domain).
from onewindow.api import routers  # noqa: E402

routers.register(api)

urlpatterns = [path("", api.urls)]

"""Who may read the API's documentation: /api/v1/docs (Swagger UI) and /api/v1/openapi.json.

With settings.API_DOCS_REQUIRE_LOGIN (on in the production profile, off in local; read per
request) the interactive docs need a signed-in staff session (anyone else is sent to the staff
sign-in page), and the schema needs a session or a valid bearer token (an integrator's
`Authorization: Bearer <token>`); an anonymous schema request gets 401 JSON. Both paths go
through the full middleware chain (settings.API_SESSION_PATHS, conf/wsgi.py) so that the
session cookie is read and checked like on any staff page.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from onewindow.api.errors import error_response
from onewindow.api.security import bearer

DOCS_VIEW = "openapi-view"


def _session_user(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_active)


def docs_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """NinjaAPI(docs_decorator=...): wraps the docs page and the schema view."""

    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.API_DOCS_REQUIRE_LOGIN or _session_user(request):
            return view(request, *args, **kwargs)
        match = request.resolver_match
        if match is not None and match.url_name == DOCS_VIEW:
            return redirect_to_login(request.get_full_path())
        if bearer(request) is not None:
            return view(request, *args, **kwargs)
        return error_response(
            401,
            "not_authenticated",
            _("The API schema needs a signed-in account: send Authorization: Bearer <token>."),
        )

    update_wrapper(guarded, view)
    return guarded

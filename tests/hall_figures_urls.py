"""The site's URLs with onewindow.web.hall_figures mounted under web/ (`web:queue_overview`, …),
for the tests until web/urls.py includes it; once it does, this is the site's URLconf unchanged."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include, path

from onewindow.conf import urls as root
from onewindow.web import urls as web

MODULE = "onewindow.web.hall_figures.urls"
MOUNTED = any(getattr(p, "urlconf_name", None) == MODULE for p in web.urlpatterns)


def _is_staff(pattern: object) -> bool:
    return isinstance(pattern, URLResolver) and str(pattern.pattern) == "staff/"


if MOUNTED:
    urlpatterns = list(root.urlpatterns)
else:
    staff: list[URLPattern | URLResolver] = [*web.urlpatterns, path("hall-supervision/", include(MODULE))]
    urlpatterns = [
        path("staff/", include((staff, "web"))),
        *(p for p in root.urlpatterns if not _is_staff(p)),
    ]

"""A URL configuration for the leave page tests until web/attendance/urls.py includes
`leave_urls` (the clock helper's file): the staff pages with the leave pages added under
/staff/attendance/ in the `web` namespace (listed first, so it wins), then the project's URLs."""

from __future__ import annotations

from django.urls import include, path

from onewindow.web import urls as web
from onewindow.web.attendance import leave_urls

_web = [path("attendance/", include(leave_urls.urlpatterns)), *web.urlpatterns]

urlpatterns = [
    path("staff/", include((_web, "web"))),
    path("", include("onewindow.conf.urls")),
]

"""The leave pages (请假, issue 16 §4), included by web/attendance/urls.py under "attendance/"."""

from __future__ import annotations

from django.urls import URLPattern, path

from onewindow.web.attendance import leave_views

urlpatterns: list[URLPattern] = [
    path("leave/", leave_views.leave_request, name="leave_request"),
    path("leave/worklist/", leave_views.leave_worklist, name="leave_worklist"),
    path("leave/<int:pk>/", leave_views.leave_detail, name="leave_detail"),
    path("leave/<int:pk>/<str:action>/", leave_views.leave_action, name="leave_action"),
]

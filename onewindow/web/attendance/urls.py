from __future__ import annotations

from django.urls import URLPattern, path

from onewindow.web.attendance import duty, views

urlpatterns: list[URLPattern] = [
    path("", views.center_table, name="attendance"),
    path("mine/", views.mine, name="attendance_mine"),
    path("manual/", duty.manual, name="attendance_manual"),
    path("patrol/", duty.patrol, name="patrol"),
    path("terminals/", duty.terminals, name="attendance_devices"),
    path("rules/", duty.rule_versions, name="attendance_rules"),
]

# the leave pages (leave_worklist, leave_request, leave_detail) are another part of issue 16
from onewindow.web.attendance.leave_urls import urlpatterns as leave_urlpatterns  # noqa: E402

urlpatterns += leave_urlpatterns

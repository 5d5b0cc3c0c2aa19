"""The hall's public side (issue 16): the ticket dispenser, the hall screens, the wait page."""

from __future__ import annotations

from django.urls import URLPattern, path

from onewindow.portal.hall import kiosk, views

urlpatterns: list[URLPattern] = [
    path("kiosk/", kiosk.kiosk, name="hall_kiosk"),
    path("kiosk/issue/", kiosk.issue, name="hall_kiosk_issue"),
    path("kiosk/appointment/", kiosk.appointment, name="hall_kiosk_appointment"),
    path("kiosk/ticket/<int:pk>/", kiosk.ticket, name="hall_kiosk_ticket"),
    path("kiosk/ticket/<int:pk>/reprint/", kiosk.reprint, name="hall_kiosk_reprint"),
    path("kiosk/ticket/<int:pk>/void/", kiosk.void, name="hall_kiosk_void"),
    path("screen/", views.screen, name="hall_screen"),
    path("window/<str:code>/", views.window, name="hall_window"),
    path("wait/<str:token>/", views.wait, name="hall_wait"),
]

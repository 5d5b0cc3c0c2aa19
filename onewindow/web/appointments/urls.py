from __future__ import annotations

from django.urls import path

from onewindow.web.appointments import views

urlpatterns = [
    path("", views.appointments, name="appointments"),
    path("book/", views.book, name="appointment_book"),
    path("<str:code>/check-in/", views.check_in, name="appointment_check_in"),
    path("<str:code>/cancel/", views.cancel, name="appointment_cancel"),
    path("bans/<int:pk>/lift/", views.lift, name="appointment_ban_lift"),
    path("appeals/<int:pk>/decide/", views.decide, name="appointment_appeal_decide"),
]

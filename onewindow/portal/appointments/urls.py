from __future__ import annotations

from django.urls import path

from onewindow.portal.appointments import views

urlpatterns = [
    path("", views.index, name="appointments"),
    path("mine/", views.mine, name="appointments_mine"),
    path("appeal/", views.appeal, name="appointments_appeal"),
    path("items/<str:code>/", views.for_item, name="appointment_item"),
    path("business/<int:pk>/", views.days, name="appointment_days"),
    path("business/<int:pk>/book/", views.confirm, name="appointment_confirm"),
    path("booked/<str:code>/", views.done, name="appointment_done"),
    path("booked/<str:code>/cancel/", views.cancel, name="appointment_cancel"),
]

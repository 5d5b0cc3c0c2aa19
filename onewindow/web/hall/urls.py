from django.urls import path

from onewindow.web.hall import views

urlpatterns: list = [
    path("console/", views.console, name="queue_console"),
    path("console/waiting/", views.waiting, name="queue_console_waiting"),
    path("console/act/", views.act, name="queue_console_act"),
]

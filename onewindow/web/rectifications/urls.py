from __future__ import annotations

from django.urls import URLPattern, path

from onewindow.web.rectifications import views

urlpatterns: list[URLPattern] = [
    path("", views.rectification_list, name="rectifications"),
    path("<id:pk>/", views.rectification_detail, name="rectification"),
    path("<id:pk>/act/", views.rectification_act, name="rectification_act"),
]

from __future__ import annotations

from django.urls import URLPattern, path

from onewindow.web.complaints import views

urlpatterns: list[URLPattern] = [
    path("", views.complaint_list, name="complaints"),
    path("new/", views.complaint_new, name="complaint_new"),
    path("<str:number>/", views.complaint_detail, name="complaint"),
    path("<str:number>/<str:action>/", views.complaint_action, name="complaint_action"),
]

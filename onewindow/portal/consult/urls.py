from __future__ import annotations

from django.urls import URLPattern, path

from onewindow.portal.consult import views

urlpatterns: list[URLPattern] = [
    path("", views.consultations, name="consultations"),
    path("new/", views.consultation_new, name="consultation_new"),
    path("<id:pk>/", views.consultation, name="consultation"),
]

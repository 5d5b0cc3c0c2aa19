from __future__ import annotations

from django.urls import URLPattern, path

from onewindow.web.consultations import views

urlpatterns: list[URLPattern] = [
    path("", views.consultation_queue, name="consultation_queue"),
    path("<id:pk>/", views.consultation_detail, name="consultation"),
    path("<id:pk>/reply/", views.consultation_reply, name="consultation_reply"),
    path("<id:pk>/close/", views.consultation_close, name="consultation_close"),
    path("faq/", views.faq_items, name="consultation_faq"),
    path("faq/<str:code>/", views.faq_item, name="consultation_faq_item"),
]

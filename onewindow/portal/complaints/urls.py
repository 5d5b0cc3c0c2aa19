"""Included under /complaints/ in the `portal` namespace."""

from django.urls import path

from onewindow.portal.complaints import views

urlpatterns = [
    path("", views.complaint_submit, name="complaint_submit"),
    path("follow/", views.complaint_follow, name="complaint_follow"),
]

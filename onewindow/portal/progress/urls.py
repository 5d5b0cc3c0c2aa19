"""Included under /progress/ in the `portal` namespace."""

from django.urls import path

from onewindow.portal.progress import views

urlpatterns = [
    path("", views.progress, name="progress"),
]

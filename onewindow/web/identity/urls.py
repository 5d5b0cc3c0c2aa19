"""Staff pages of the applicant accounts (issue 14)."""

from __future__ import annotations

from django.urls import path

from onewindow.web.identity import views

urlpatterns = [
    path("verify/", views.applicant_verify, name="applicant_verify"),
]

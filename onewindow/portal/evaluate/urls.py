"""The public evaluation page (好差评): the QR code on notices and receipts and the SMS link open
/evaluate/<token>/ (onewindow.feedback.tokens)."""

from __future__ import annotations

from django.urls import URLPattern, path

from onewindow.portal.evaluate import views

urlpatterns: list[URLPattern] = [
    path("<str:token>/", views.evaluate, name="evaluate"),
    path("<str:token>/thanks/", views.thanks, name="evaluate_thanks"),
]

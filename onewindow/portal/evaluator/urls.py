from __future__ import annotations

from django.urls import URLPattern, path

from onewindow.portal.evaluator import views

urlpatterns: list[URLPattern] = [
    path("", views.screen, name="evaluator"),
    path("pair/", views.pair, name="evaluator_pair"),
    path("state/", views.state, name="evaluator_state"),
    path("submit/", views.submit, name="evaluator_submit"),
]

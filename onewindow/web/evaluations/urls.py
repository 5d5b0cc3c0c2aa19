from __future__ import annotations

from django.urls import URLPattern, path

from onewindow.web.evaluations import devices, views

urlpatterns: list[URLPattern] = [
    path("", views.evaluation_list, name="evaluations"),
    path("bad/", views.bad_queue, name="evaluations_bad"),
    path("callback/", views.callback, name="evaluation_callback"),
    path("evaluators/", devices.evaluator_devices, name="evaluator_devices"),
    path("<id:pk>/", views.evaluation_detail, name="evaluation"),
]

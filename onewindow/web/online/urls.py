"""Staff pages of online applications: the department's pre-review queue, one application
(form, files, rounds) with the outcomes, and the files (permission-checked downloads)."""

from __future__ import annotations

from django.urls import path

from onewindow.web.online import views

urlpatterns = [
    path("prereview/", views.queue, name="prereview_queue"),
    path("prereview/<int:pk>/", views.detail, name="prereview_detail"),
    path("prereview/<int:pk>/decide/", views.decide, name="prereview_decide"),
    path("prereview/<int:pk>/files/<int:file_id>/", views.download, name="prereview_file"),
]

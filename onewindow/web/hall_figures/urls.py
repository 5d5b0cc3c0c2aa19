"""The supervisor's side of the hall (issue 16): the live overview of the queue and the windows,
the queue's figures with their CSV export, and the hall's notices. Mounted by web/urls.py as

    path("hall-supervision/", include("onewindow.web.hall_figures.urls")),
"""

from __future__ import annotations

from django.urls import path

from onewindow.web.hall_figures import figures_views, notices_views, overview_views

urlpatterns = [
    path("", overview_views.overview, name="queue_overview"),
    path("live/", overview_views.overview_live, name="queue_overview_live"),
    path("figures/", figures_views.figures_page, name="queue_figures"),
    path("figures/export.csv", figures_views.figures_export, name="queue_figures_export"),
    path("notices/", notices_views.notices, name="hall_notices"),
    path("notices/<int:pk>/", notices_views.notice_edit, name="hall_notice_edit"),
    path("notices/<int:pk>/delete/", notices_views.notice_delete, name="hall_notice_delete"),
]

"""Supervision pages, included under /staff/supervision/ in the `web` namespace."""

from django.urls import path

from onewindow.web.supervision import bundles, views

urlpatterns = [
    path("", views.console, name="supervision"),
    path("board/", views.board_counts, name="supervision_board"),
    path("bundles/", bundles.bundle_panel, name="supervision_bundles"),
    path("sweep/", views.sweep_now, name="supervision_sweep"),
    path("forecast/", views.forecast, name="supervision_forecast"),
    path("rules/", views.rules, name="supervision_rules"),
    path("rules/<id:rule_id>/", views.rules, name="supervision_rule"),
    path("orders/", views.orders, name="supervision_orders"),
    path("orders/<id:order_id>/close/", views.order_close, name="supervision_order_close"),
    path("orders/<id:order_id>/send-back/", views.order_send_back, name="supervision_order_send_back"),
    path("orders/<id:order_id>/reply/", views.order_reply, name="supervision_order_reply"),
    path("accountability/", views.accountability, name="supervision_accountability"),
    path(
        "accountability/<id:record_id>/decide/",
        views.accountability_decide,
        name="supervision_accountability_decide",
    ),
    path(
        "accountability/<id:record_id>/appeal/",
        views.accountability_appeal,
        name="supervision_accountability_appeal",
    ),
    path("mine/", views.mine, name="supervision_mine"),
    path("reminders/<id:reminder_id>/read/", views.reminder_read, name="supervision_reminder_read"),
]

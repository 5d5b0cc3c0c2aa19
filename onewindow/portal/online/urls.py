"""My cases (我的办件), included under /my/ in the `portal` namespace."""

from __future__ import annotations

from django.urls import path

from onewindow.portal.online import views

urlpatterns = [
    path("", views.my_case_list, name="my_cases"),
    path("cases/<str:number>/", views.my_case_detail, name="my_case"),
    path("cases/<str:number>/withdraw/", views.my_case_withdraw, name="my_case_withdraw"),
    path("cases/<str:number>/notices/<str:notice_number>/", views.my_notice, name="my_notice"),
    path(
        "cases/<str:number>/notices/<str:notice_number>/pdf/",
        views.my_notice_download,
        name="my_notice_pdf",
    ),
]

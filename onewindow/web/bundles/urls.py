"""Staff bundle pages, included under /staff/bundles/ in the `web` namespace."""

from django.urls import path

from onewindow.web.bundles import intake, views

urlpatterns = [
    path("", views.bundle_cases, name="bundle_cases"),
    path("intake/", intake.bundle_intake, name="bundle_intake"),
    path("<str:number>/", views.bundle_case, name="bundle_case"),
    path("<str:number>/act/", views.bundle_case_act, name="bundle_case_act"),
    path("<str:number>/notices/<str:notice_number>/", views.bundle_notice, name="bundle_notice"),
]

"""Staff case pages, included under /staff/cases/ in the `web` namespace."""

from django.urls import path

from onewindow.web.cases import views

urlpatterns = [
    path("", views.case_list, name="cases"),
    path("worklist/", views.worklist, name="worklist"),
    path("intake/", views.intake, name="intake"),
    path("intake/items/", views.intake_items, name="intake_items"),
    path("<str:number>/", views.case_detail, name="case"),
    path("<str:number>/act/", views.case_action, name="case_act"),
    path("<str:number>/reveal/", views.case_reveal, name="case_reveal"),
    path("<str:number>/files/", views.case_file_upload, name="case_file_upload"),
    path("<str:number>/files/<int:file_id>/", views.case_file, name="case_file"),
    path("<str:number>/notices/<str:notice_number>/", views.case_notice, name="case_notice"),
]

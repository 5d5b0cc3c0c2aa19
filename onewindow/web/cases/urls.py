"""Staff case pages, included under /staff/cases/ in the `web` namespace."""

from django.urls import path

from onewindow.web.cases import case, delivery, intake, notice_download, worklist

urlpatterns = [
    path("", worklist.case_list, name="cases"),
    path("worklist/", worklist.worklist, name="worklist"),
    path("intake/", intake.intake, name="intake"),
    path("intake/items/", intake.intake_items, name="intake_items"),
    path("pickup/", delivery.pickup_list, name="pickup"),
    path("<str:number>/", case.case_detail, name="case"),
    path("<str:number>/act/", case.case_action, name="case_act"),
    path("<str:number>/deliver/", delivery.case_deliver, name="case_deliver"),
    path("<str:number>/proof-of-service/", delivery.case_proof_of_service, name="case_proof_of_service"),
    path("<str:number>/reveal/", case.case_reveal, name="case_reveal"),
    path("<str:number>/files/", case.case_file_upload, name="case_file_upload"),
    path("<str:number>/files/<id:file_id>/", case.case_file, name="case_file"),
    path("<str:number>/notices/<str:notice_number>/", case.case_notice, name="case_notice"),
    path(
        "<str:number>/notices/<str:notice_number>/pdf/",
        notice_download.case_notice_pdf,
        name="case_notice_pdf",
    ),
]

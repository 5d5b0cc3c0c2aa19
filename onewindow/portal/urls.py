from django.urls import include, path

from onewindow.portal.views import files, guide

app_name = "portal"

urlpatterns = [
    path("", guide.home, name="home"),
    path("search/", guide.search, name="search"),
    path("search", guide.search),
    path("departments/<str:code>/", guide.department, name="department"),
    path("themes/<str:code>/", guide.theme, name="theme"),
    path("items/<str:code>/", guide.item, name="item"),
    path("items/<str:code>/print/", guide.item_print, name="item_print"),
    path(
        "items/<str:code>/materials/<id:position>/<str:kind>/",
        files.material_file,
        name="material_file",
    ),
    path("bundles/<str:code>/", guide.bundle, name="bundle"),
    path("progress/", include("onewindow.portal.progress.urls")),
    # the online hall (issue 14): one URL module per app
    path("account/", include("onewindow.portal.account.urls")),
    path("apply/", include("onewindow.portal.apply.urls")),
    path("my/", include("onewindow.portal.online.urls")),
    path("appointments/", include("onewindow.portal.appointments.urls")),
    path("consultations/", include("onewindow.portal.consult.urls")),
    # evaluation and complaints (issue 15): the QR/SMS page, the window evaluator, complaints
    path("evaluate/", include("onewindow.portal.evaluate.urls")),
    path("evaluator/", include("onewindow.portal.evaluator.urls")),
    path("complaints/", include("onewindow.portal.complaints.urls")),
    # the hall (issue 16): the ticket dispenser, the hall screens, the wait page
    path("hall/", include("onewindow.portal.hall.urls")),
]

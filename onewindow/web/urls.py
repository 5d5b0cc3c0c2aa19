from django.urls import include, path

from onewindow.web import inspections
from onewindow.web.views import accounts, calendar, catalog, credentials, home, windows

app_name = "web"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.LogoutView.as_view(), name="logout"),
    path("password/", credentials.password_change, name="password_change"),
    path("second-factor/", credentials.second_factor, name="second_factor"),
    path("second-factor/enrol/", credentials.second_factor_enrol, name="second_factor_enrol"),
    path("catalog/", catalog.catalog, name="catalog"),
    path("catalog/<str:code>/", catalog.item_detail, name="item"),
    path("windows/", windows.windows, name="windows"),
    path("windows/<str:code>/", windows.window_detail, name="window"),
    path("calendar/", calendar.calendar, name="calendar"),
    path("calendar/due-date/", calendar.due_date, name="calendar_due_date"),
    path("cases/", include("onewindow.web.cases.urls")),
    path("bundles/", include("onewindow.web.bundles.urls")),
    path("supervision/", include("onewindow.web.supervision.urls")),
    # the online hall's staff side (issue 14): one URL module per app
    path("online/", include("onewindow.web.online.urls")),
    path("consultations/", include("onewindow.web.consultations.urls")),
    path("appointments/", include("onewindow.web.appointments.urls")),
    path("applicants/", include("onewindow.web.identity.urls")),
    # evaluation and complaints (issue 15)
    path("evaluations/", include("onewindow.web.evaluations.urls")),
    path("rectifications/", include("onewindow.web.rectifications.urls")),
    path("complaints/", include("onewindow.web.complaints.urls")),
    # the hall (issue 16): the window console and the queue, attendance and leave
    path("hall/", include("onewindow.web.hall.urls")),
    path("hall-supervision/", include("onewindow.web.hall_figures.urls")),
    path("attendance/", include("onewindow.web.attendance.urls")),
    # joint inspections and acceptances of a bundle case (联合踏勘 / 联合验收)
    path("bundles/<str:number>/inspections/new/", inspections.inspection_new, name="inspection_new"),
    path("bundles/<str:number>/inspections/<id:pk>/", inspections.inspection_detail, name="inspection"),
    path(
        "bundles/<str:number>/inspections/<id:pk>/record/",
        inspections.inspection_record,
        name="inspection_record",
    ),
    path(
        "bundles/<str:number>/inspections/<id:pk>/cancel/",
        inspections.inspection_cancel,
        name="inspection_cancel",
    ),
]

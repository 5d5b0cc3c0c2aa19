"""Registers each domain's router on the API: one line per domain module."""

from __future__ import annotations

from ninja import NinjaAPI


def register(api: NinjaAPI) -> None:
    from onewindow.api import auth, bundles, calendar, cases, catalog, org, public, supervision

    api.add_router("/auth", auth.router, tags=["auth"])
    api.add_router("/calendar", calendar.router, tags=["calendar"])
    api.add_router("/", org.router, tags=["organisation"])
    api.add_router("/", catalog.router, tags=["catalog"])
    api.add_router("/", cases.router, tags=["cases"])
    api.add_router("/", bundles.router, tags=["bundle cases"])
    api.add_router("/public", public.public_router, tags=["public progress"])
    api.add_router("/supervision", supervision.router, tags=["supervision"])
    # the online hall (issue 14): public (applicant) endpoints under /public, staff ones beside
    from onewindow.api import appointments, consultations, identity, my_cases, online

    api.add_router("/public/auth", identity.public_router, tags=["applicant accounts"])
    api.add_router("/", identity.router, tags=["applicant accounts"])
    api.add_router("/public/appointments", appointments.public_router, tags=["appointments"])
    api.add_router("/", appointments.router, tags=["appointments"])
    api.add_router("/public", online.public_router, tags=["online applications"])
    api.add_router("/", online.router, tags=["online applications"])
    api.add_router("/public/consultations", consultations.public_router, tags=["consultations"])
    api.add_router("/", consultations.router, tags=["consultations"])
    api.add_router("/public/my", my_cases.router, tags=["my cases"])
    # evaluation and complaints (issue 15)
    from onewindow.api import complaints, evaluations, rectifications

    api.add_router("/public/evaluations", evaluations.public_router, tags=["evaluations"])
    api.add_router("/", evaluations.router, tags=["evaluations"])
    api.add_router("/", rectifications.router, tags=["rectifications"])
    api.add_router("/public/complaints", complaints.public_router, tags=["complaints"])
    api.add_router("/", complaints.router, tags=["complaints"])
    # the hall (issue 16): the queue, the hall's screens, attendance and leave
    from onewindow.api import attendance, leave, queue, queue_figures, queue_hall

    api.add_router("/", queue.router, tags=["queue"])
    api.add_router("/", queue_hall.router, tags=["hall screens"])
    api.add_router("/public", queue_hall.public_router, tags=["hall screens"])
    api.add_router("/", queue_figures.router, tags=["queue figures"])
    api.add_router("/", attendance.router, tags=["attendance"])
    api.add_router("/", leave.router, tags=["leave"])

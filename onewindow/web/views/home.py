"""The staff home page (工作台): a welcome, the user's own workload, and where to go."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from onewindow.calendar import selectors as calendar_selectors
from onewindow.catalog import selectors as catalog_selectors
from onewindow.core import clock
from onewindow.web import navigation
from onewindow.web.access import StaffRequest, staff_page
from onewindow.web.workload import workload_for


def calendar_status() -> dict[str, object]:
    """This year's and next year's schedule status, for the home page warning."""
    year = clock.today().year
    status = {row["year"]: row["confirmed"] for row in calendar_selectors.year_status(year, year + 1)}
    return {
        "this_year": year,
        "this_year_confirmed": status[year],
        "next_year": year + 1,
        "next_year_confirmed": status[year + 1],
    }


@staff_page()
def home(request: StaffRequest) -> HttpResponse:
    user = request.user
    center = user.center
    context: dict[str, object] = {"nav_active": "home", "calendar": calendar_status()}
    if center is not None and navigation.allowed(navigation.entry("catalog"), user):
        compression = catalog_selectors.catalog_compression(center=center)
        context.update(
            published_count=len(compression.items),
            compression=compression,
            bundle_count=catalog_selectors.bundles(center=center).count(),
        )
    if navigation.allowed(navigation.entry("worklist"), user):
        worklist = reverse("web:worklist")
        context["workload"] = workload_for(user)
        context["workload_urls"] = {
            "to_do": f"{worklist}?{urlencode({'scope': 'post'})}",
            "yellow": f"{worklist}?{urlencode({'scope': 'post', 'level': 'yellow'})}",
            "red": f"{worklist}?{urlencode({'scope': 'post', 'level': 'red'})}",
            "approvals": f"{worklist}#approvals",
        }
    context["links"] = [link for link in navigation.nav_for(user) if link.key != "home"]
    return render(request, "web/home.html", context)

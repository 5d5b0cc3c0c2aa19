"""The project's URLs plus /bench/bare: a bare Django Ninja endpoint that inserts one row.

It is the baseline the HTTP figures are measured against in the same run."""

from django.http import HttpRequest
from django.urls import include, path
from ninja import NinjaAPI, Schema

from onewindow.core import clock
from onewindow.core.models import AuditEntry

bare = NinjaAPI(urls_namespace="bench-bare", docs_url=None, openapi_url=None)


class BareIn(Schema):
    note: str


@bare.post("/insert")
def insert(request: HttpRequest, payload: BareIn) -> dict:
    entry = AuditEntry.objects.create(
        at=clock.now(), action="bench.bare", object_type="bench", object_id=payload.note
    )
    return {"id": entry.pk}


urlpatterns = [
    path("bench/bare/", bare.urls),
    path("", include("onewindow.conf.urls")),
]

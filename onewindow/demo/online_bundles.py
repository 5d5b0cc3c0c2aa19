"""Demo bundle application online (一件事网上申报): the demo citizen of `online_applications` gets
a draft of 企业开办一件事 (QYKB) when the demo catalog opens that bundle to online applications
(`online.bundles.online_allowed`). Idempotent: nothing is added once the citizen has a bundle
application. Called by the demo loader as `load(center)`, after `online_applications.load`."""

from __future__ import annotations

from onewindow.catalog.definitions import bundle_definition
from onewindow.catalog.models import Bundle
from onewindow.core.errors import DomainError
from onewindow.identity.models import Person
from onewindow.identity.sessions import Applicant
from onewindow.online import bundles
from onewindow.online.models import OnlineApplication
from onewindow.org.models import Center

from .online_applications import PHONE

CODE = "QYKB"


def load(center: Center) -> dict[str, int]:
    bundle = Bundle.objects.filter(center=center, code=CODE, active=True).first()
    person = Person.objects.filter(phone=PHONE).first()
    if bundle is None or person is None or not bundles.online_allowed(bundle):
        return {"bundle_applications": 0}
    if OnlineApplication.objects.filter(person=person, center=center).exclude(bundle_code="").exists():
        return {"bundle_applications": 0}
    answers = {q.key: q.options[0].value for q in bundle_definition(bundle).questions if q.options}
    try:
        bundles.bundle_application_create(
            applicant=Applicant(person=person), center=center, bundle_code=CODE, answers=answers
        )
    except DomainError:
        return {"bundle_applications": 0}
    return {"bundle_applications": 1}

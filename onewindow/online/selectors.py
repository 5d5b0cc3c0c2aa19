"""Reads of online applications: the applicant's own, the materials shared from earlier results
(资料共享), the pre-review clock of an item, and the department's pre-review queue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from onewindow.calendar.selectors import table as calendar_table
from onewindow.cases import clock as case_clock
from onewindow.cases.facts import Status
from onewindow.cases.models import Case
from onewindow.cases.versions import published_version, snapshot
from onewindow.catalog.models import Material, ServiceItemVersion
from onewindow.core.errors import NotFound
from onewindow.identity.sessions import Applicant
from onewindow.online.models import OnlineApplication, OnlineFile, PreReviewSetting
from onewindow.org.models import Center, User
from onewindow.org.selectors import scope_queryset

RESULT_STATUSES = (Status.CERTIFICATE_ISSUED, Status.COMPLETED, Status.DELIVERED)
PERMISSION = "online.prereview_application"


def may_act_for(applicant: Applicant, application: OnlineApplication) -> bool:
    """Who may see and edit an application: for an enterprise, anyone acting for it now (its
    legal representative or an authorised agent); otherwise the person, acting for themselves."""
    if application.enterprise_id is not None:
        return applicant.enterprise is not None and applicant.enterprise.pk == application.enterprise_id
    return applicant.enterprise is None and applicant.person.pk == application.person_id


def application_for(applicant: Applicant, pk: int) -> OnlineApplication:
    """The application `pk` if the applicant may act for it (NotFound otherwise: no probing)."""
    found = (
        OnlineApplication.objects.select_related("case", "person", "enterprise", "center")
        .filter(pk=pk)
        .first()
    )
    if found is None or not may_act_for(applicant, found):
        raise NotFound(_("No such application."), code="application_not_found")
    return found


def applications_of(applicant: Applicant) -> QuerySet[OnlineApplication]:
    qs = OnlineApplication.objects.select_related("case")
    if applicant.enterprise is not None:
        return qs.filter(enterprise=applicant.enterprise).order_by("-updated_at")
    return qs.filter(person=applicant.person, enterprise__isnull=True).order_by("-updated_at")


def item_version(application: OnlineApplication) -> ServiceItemVersion:
    """The item's published version: the case's once submitted, the current one for a draft."""
    if application.case_id is not None and application.case is not None:
        return application.case.item_version
    return published_version(application.center, application.item_code)


def materials(version: ServiceItemVersion) -> tuple[Material, ...]:
    return snapshot(version).materials


def files_by_material(application: OnlineApplication) -> dict[int, list[OnlineFile]]:
    found: dict[int, list[OnlineFile]] = {}
    for f in OnlineFile.objects.filter(application=application).order_by("uploaded_at", "id"):
        found.setdefault(f.material_id, []).append(f)
    return found


@dataclass(frozen=True)
class SharedSource:
    """A material provided by the result of an earlier case (资料共享, 国务院令第716号 art. 7)."""

    material_id: int
    case_number: str
    item_name: str


def applicant_id_number(applicant: Applicant) -> str:
    if applicant.enterprise is not None:
        return applicant.enterprise.uscc
    return applicant.person.id_number


def shared_materials(
    *, center_id: int, version: ServiceItemVersion, id_number: str
) -> dict[int, SharedSource]:
    """The item's materials that another item's result already provides for this applicant
    (`catalog.Material.shared_result_item_code`: a granted case of that item, with its result,
    for the same ID number or USCC), keyed by material id; not asked for again."""
    wanted = {m.pk: m.shared_result_item_code for m in materials(version) if m.shared_result_item_code}
    if not wanted or not id_number:
        return {}
    found: dict[str, tuple[str, str]] = {}
    rows = (
        Case.objects.filter(
            center_id=center_id,
            applicant_id_number=id_number,
            status__in=RESULT_STATUSES,
            decision=Case.Decision.GRANTED,
            item_version__item__code__in=set(wanted.values()),
        )
        .order_by("-decided_at")
        .values_list("item_version__item__code", "number", "item_version__name")
    )
    for code, number, name in rows:
        found.setdefault(code, (number or "", name))
    return {
        pk: SharedSource(pk, found[code][0], found[code][1]) for pk, code in wanted.items() if code in found
    }


def prereview_days(center_id: int, item_code: str) -> int:
    setting = PreReviewSetting.objects.filter(center_id=center_id, item_code=item_code).first()
    return setting.days if setting is not None else int(settings.PRE_REVIEW_DAYS)


def prereview_due(center_id: int, item_code: str, submitted_at: dt.datetime) -> dt.datetime:
    """The end of the item's n-th working day after the submission (the day itself not counted)."""
    return case_clock.end_of_nth_working_day(
        calendar_table(), case_clock.local_date(submitted_at), prereview_days(center_id, item_code)
    )


def queue(user: User) -> QuerySet[OnlineApplication]:
    """Applications awaiting pre-review that `user` may review: the permission, then the data
    scope (the item's department), soonest due first."""
    if not user.has_perm(PERMISSION):
        return OnlineApplication.objects.none()
    submitted = OnlineApplication.objects.filter(status=OnlineApplication.Status.SUBMITTED)
    qs = _in_scope(submitted, user)
    return qs.select_related("case", "case__department", "department", "enterprise", "person").order_by(
        "prereview_due_at", "pk"
    )


def _in_scope(qs: QuerySet[OnlineApplication], user: User) -> QuerySet[OnlineApplication]:
    """Items by their case's department; bundles (no case before the pre-review) by the
    bundle's lead department."""
    items = scope_queryset(
        qs.filter(case__isnull=False), user, department_field="case__department", center_field="center"
    )
    bundles = scope_queryset(
        qs.exclude(bundle_code="").filter(department__isnull=False),
        user,
        department_field="department",
        center_field="center",
    )
    return OnlineApplication.objects.filter(pk__in=items.values("pk")) | OnlineApplication.objects.filter(
        pk__in=bundles.values("pk")
    )


def reviewable(user: User, pk: int) -> OnlineApplication:
    """One submitted application (any status) in the user's scope; NotFound otherwise."""
    if not user.has_perm(PERMISSION):
        raise NotFound(_("No such application."), code="application_not_found")
    qs = OnlineApplication.objects.filter(pk=pk).exclude(status=OnlineApplication.Status.DRAFT)
    found = _in_scope(qs, user).select_related("case", "person", "enterprise", "bundle_case").first()
    if found is None:
        raise NotFound(_("No such application."), code="application_not_found")
    return found


def level(application: OnlineApplication, now: dt.datetime) -> str:
    """ "red" past the pre-review due, "yellow" on its last working day, else "green"."""
    due = application.prereview_due_at
    if due is None:
        return "green"
    if now > due:
        return "red"
    if case_clock.local_date(now) == case_clock.local_date(due):
        return "yellow"
    return "green"


def center_for(code: str) -> Center:
    """The center of a public request: by its code, else the first city-level center (the
    portal's default)."""
    code = (code or "").strip().upper()
    if code:
        found = Center.objects.filter(code=code).first()
    else:
        found = (
            Center.objects.filter(level=Center.Level.CITY).order_by("code").first()
            or Center.objects.order_by("code").first()
        )
    if found is None:
        raise NotFound(_("There is no such service center."), code="center_not_found")
    return found

"""My cases (我的办件): what a signed-in applicant sees of their applications and cases, shared by
the portal (onewindow.portal.online) and the public API (onewindow.api.my_cases).

Who sees what (docs/domain/my-cases.md):

* Acting for oneself: the person's own online applications (enterprise empty) and their cases.
  Acting for an enterprise (as its legal representative or an agent whose authorisation is
  active today, checked again here): every online application of the enterprise, whichever agent
  acted, with that agent named (masked).
* Window cases (and any other case) by the applicant's ID number ONLY for a verified identity:
  the person's ID number when their real-name level is at least 4; an enterprise's USCC when the
  enterprise's level is at least 4, or the person is its legal representative verified at level
  4 or more. A self-declared ID number never shows anything: anyone can type anyone's number.

Tabs: drafts; submitted (in pre-review, returned for correction, received and not yet answered);
in progress (accepted and not completed); done (completed, delivered, refused, withdrawn,
terminated).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from onewindow.cases import numbers
from onewindow.cases import selectors as case_selectors
from onewindow.cases.applicant_actions import applicant_may_withdraw, case_withdraw_by_applicant
from onewindow.cases.facts import STATUS_LABELS, Status
from onewindow.cases.models import Case, Notice
from onewindow.catalog.models import Bundle, ServiceItem
from onewindow.core import audit, clock
from onewindow.core.errors import NotFound, ValidationFailed
from onewindow.core.masking import mask_free_text, mask_name
from onewindow.identity.models import Enterprise, Person, RealNameLevel
from onewindow.identity.sessions import Applicant, may_act_for
from onewindow.notifications.models import OutboxMessage
from onewindow.online.models import OnlineApplication

VERIFIED = RealNameLevel.CONSISTENT  # level 4 and up: the ID number is the person's own
MAX_ROWS = 500  # per source: far more than one applicant has

DRAFTS, SUBMITTED, IN_PROGRESS, DONE = "drafts", "submitted", "in_progress", "done"
TABS = (DRAFTS, SUBMITTED, IN_PROGRESS, DONE)
TAB_LABELS = {
    DRAFTS: pgettext_lazy("my cases", "Drafts"),
    SUBMITTED: pgettext_lazy("my cases", "Submitted"),
    IN_PROGRESS: pgettext_lazy("my cases", "In progress"),
    DONE: pgettext_lazy("my cases", "Done"),
}

_BEFORE_ACCEPTANCE = frozenset({Status.SUBMITTED, Status.RECEIVED, Status.CORRECTION_REQUESTED})
_DONE = frozenset({Status.COMPLETED, Status.DELIVERED, Status.REFUSED, Status.WITHDRAWN, Status.TERMINATED})
_APP_DONE = frozenset({OnlineApplication.Status.REFUSED, OnlineApplication.Status.WITHDRAWN})
_APP_SUBMITTED = frozenset({OnlineApplication.Status.SUBMITTED, OnlineApplication.Status.RETURNED})


def case_tab(status: str) -> str:
    if status in _DONE:
        return DONE
    if status in _BEFORE_ACCEPTANCE:
        return SUBMITTED
    return IN_PROGRESS


def application_tab(application: OnlineApplication, case: Case | None) -> str:
    if application.status == OnlineApplication.Status.DRAFT:
        return DRAFTS
    if application.status in _APP_DONE or (case is not None and case.status in _DONE):
        return DONE
    if application.status in _APP_SUBMITTED:
        return SUBMITTED
    return case_tab(case.status) if case is not None else IN_PROGRESS


@dataclass(frozen=True)
class MyCaseRow:
    """One line of "my cases": an online application (with its case, once submitted) or a case
    found by the verified ID number."""

    tab: str
    item_name: str
    item_code: str
    number: str  # the case (or receipt) number; "" for a draft
    status: str  # the case's status, else the application's
    status_label: str
    at: dt.datetime  # the last change known
    due_at: dt.datetime | None
    acted_by: str  # who acted for an enterprise (masked), "" otherwise
    application_id: int | None
    channel: str
    bundle_number: str = ""  # a bundle (一件事) applied for online, once accepted


def _acting_enterprise(applicant: Applicant) -> Enterprise | None:
    """The enterprise the applicant acts for, checked again now (an expired or revoked
    authorisation acts for nobody)."""
    enterprise = applicant.enterprise
    if enterprise is None or not may_act_for(applicant.person, enterprise):
        return None
    return enterprise


def verified_id_number(applicant: Applicant) -> tuple[str, str] | None:
    """(applicant kind, ID number) whose cases the applicant may see by number, or None."""
    person: Person = applicant.person
    if applicant.enterprise is not None:
        enterprise = _acting_enterprise(applicant)
        if enterprise is None:
            return None
        holder_verified = enterprise.legal_rep_id == person.pk and person.real_name_level >= VERIFIED
        if enterprise.uscc and (enterprise.real_name_level >= VERIFIED or holder_verified):
            return Case.ApplicantKind.ENTERPRISE, enterprise.uscc.upper()
        return None
    if person.id_number and person.real_name_level >= VERIFIED:
        return Case.ApplicantKind.PERSON, person.id_number.upper()
    return None


def applications_of(applicant: Applicant) -> QuerySet[OnlineApplication]:
    """The online applications the applicant sees."""
    qs = OnlineApplication.objects.select_related("person", "case", "case__item_version__item", "bundle_case")
    if applicant.enterprise is not None:
        enterprise = _acting_enterprise(applicant)
        if enterprise is None:
            return qs.none()
        return qs.filter(enterprise=enterprise)
    return qs.filter(person=applicant.person, enterprise__isnull=True)


def cases_by_id_number(applicant: Applicant) -> QuerySet[Case]:
    """The cases whose applicant is the applicant's verified identity (none when unverified)."""
    found = verified_id_number(applicant)
    if found is None:
        return Case.objects.none()
    kind, id_number = found
    return Case.objects.select_related("item_version__item").filter(
        applicant_kind=kind, applicant_id_number=id_number
    )


def _item_names(codes: set[str]) -> dict[str, str]:
    rows = ServiceItem.objects.filter(code__in=codes).select_related("published_version")
    return {i.code: (i.published_version.name if i.published_version else i.code) for i in rows}


def _bundle_names(codes: set[str]) -> dict[str, str]:
    return dict(Bundle.objects.filter(code__in=codes, active=True).values_list("code", "name"))


def my_cases(applicant: Applicant, tab: str | None = None) -> list[MyCaseRow]:
    """Every row the applicant sees (or those of one tab), the latest first."""
    rows: list[MyCaseRow] = []
    seen: set[int] = set()
    applications = list(applications_of(applicant).order_by("-updated_at", "-id")[:MAX_ROWS])
    names = _item_names({a.item_code for a in applications if a.item_code and a.case_id is None})
    names.update(_bundle_names({a.bundle_code for a in applications if a.bundle_code}))
    for app in applications:
        case = app.case
        if case is not None:
            seen.add(case.pk)
        acted_by = mask_name(app.person.name) if app.enterprise_id else ""
        if case is not None:
            rows.append(_case_row(case, application_tab(app, case), app.pk, acted_by, app.updated_at))
        else:
            rows.append(
                MyCaseRow(
                    tab=application_tab(app, None),
                    item_name=names.get(app.item_code or app.bundle_code, app.item_code or app.bundle_code),
                    item_code=app.item_code or app.bundle_code,
                    number="",
                    status=app.status,
                    status_label=str(app.get_status_display()),
                    at=app.updated_at,
                    due_at=app.prereview_due_at,
                    acted_by=acted_by,
                    application_id=app.pk,
                    channel=Case.Channel.ONLINE,
                    bundle_number=app.bundle_case.number if app.bundle_case is not None else "",
                )
            )
    for case in cases_by_id_number(applicant).order_by("-created_at", "-id")[:MAX_ROWS]:
        if case.pk not in seen:
            rows.append(_case_row(case, case_tab(case.status), None, "", None))
    rows.sort(key=lambda r: r.at, reverse=True)
    return [r for r in rows if tab is None or r.tab == tab]


def _case_row(
    case: Case, tab: str, application_id: int | None, acted_by: str, updated: dt.datetime | None
) -> MyCaseRow:
    moments = [
        m
        for m in (
            case.closed_at,
            case.completed_at,
            case.accepted_at,
            case.received_at,
            case.created_at,
            updated,
        )
        if m is not None
    ]
    label = STATUS_LABELS.get(case.status)
    return MyCaseRow(
        tab=tab,
        item_name=case.item_version.name,
        item_code=case.item_version.item.code,
        number=case.display_number,
        status=case.status,
        status_label=str(label) if label is not None else case.status,
        at=max(moments),
        due_at=case.due_at,
        acted_by=acted_by,
        application_id=application_id,
        channel=case.channel,
    )


# --- one case ------------------------------------------------------------------------------------


def _visible(applicant: Applicant, case: Case) -> OnlineApplication | bool:
    """The case's online application when it is one the applicant sees; True when the case is
    visible by the verified ID number only; False when the applicant may not see it."""
    application = applications_of(applicant).filter(case=case).first()
    if application is not None:
        return application
    found = verified_id_number(applicant)
    return found is not None and (case.applicant_kind, case.applicant_id_number.upper()) == found


def my_case_lookup(applicant: Applicant, number: str) -> tuple[Case, OnlineApplication | None]:
    """The case with this case or receipt number, if the applicant may see it (else NotFound,
    the same answer as for a number that does not exist)."""
    try:
        value = numbers.parse_case_number(number)
    except ValidationFailed:
        value = ""
    case = None
    if value:
        case = (
            Case.objects.select_related("center", "department", "item_version__item")
            .filter(Q(number=value) | Q(receipt_number=value))
            .first()
        )
    visible = _visible(applicant, case) if case is not None else False
    if case is None or visible is False:
        raise NotFound(_("You have no case with the number %(number)s.") % {"number": str(number)[:40]})
    return case, (visible if isinstance(visible, OnlineApplication) else None)


@dataclass(frozen=True)
class MyMessage:
    at: dt.datetime
    body: str
    status: str


@dataclass(frozen=True)
class MyCase:
    case: Case
    application: OnlineApplication | None
    progress: case_selectors.PublicProgress | None
    notices: list[Notice]
    messages: list[MyMessage]
    may_withdraw: bool
    tab: str

    @property
    def due_date(self) -> dt.date | None:
        return timezone.localtime(self.case.due_at).date() if self.case.due_at else None

    @property
    def legal_due_date(self) -> dt.date | None:
        return timezone.localtime(self.case.legal_due_at).date() if self.case.legal_due_at else None

    @property
    def answer_due_date(self) -> dt.date | None:
        due = self.case.answer_due_at
        return timezone.localtime(due).date() if due else None


def _public_code(case: Case) -> str:
    """The lookup code the public progress page takes: the last four of the phone or ID number."""
    return (case.applicant_phone or case.applicant_id_number)[-4:]


def my_case(applicant: Applicant, number: str) -> MyCase:
    """One case as its applicant sees it: the public progress (the same reading as the public
    progress page), its notices, the messages sent about it, whether it may be withdrawn."""
    case, application = my_case_lookup(applicant, number)
    progress = case_selectors.public_progress(case.display_number, _public_code(case))
    messages = [
        MyMessage(at=m.created_at, body=mask_free_text(m.body), status=m.status)
        for m in OutboxMessage.objects.filter(related_type="cases.case", related_id=str(case.pk)).order_by(
            "created_at", "id"
        )
    ]
    notices = list(Notice.objects.filter(case=case).order_by("issued_at", "id"))
    tab = application_tab(application, case) if application is not None else case_tab(case.status)
    return MyCase(
        case=case,
        application=application,
        progress=progress,
        notices=notices,
        messages=messages,
        may_withdraw=applicant_may_withdraw(case),
        tab=tab,
    )


def my_notice(applicant: Applicant, number: str, notice_number: str) -> Notice:
    """A notice of one of the applicant's cases (NotFound otherwise)."""
    case, _application = my_case_lookup(applicant, number)
    notice = Notice.objects.select_related("case__center").filter(case=case, number=notice_number).first()
    if notice is None:
        raise NotFound(_("No such notice on this case."))
    return notice


# --- withdraw ------------------------------------------------------------------------------------


def my_case_withdraw(*, applicant: Applicant, number: str, version: int, reason: str) -> Case:
    """Withdraw one of the applicant's cases (撤回申请) through the case engine, and mark its
    online application withdrawn. NotFound when the applicant may not see the case; the engine's
    Conflict / InvalidTransition / PermissionDenied / ValidationFailed otherwise."""
    case, application = my_case_lookup(applicant, number)
    person = applicant.person
    who = _("%(name)s (the applicant, online)") % {"name": person.name or person.masked_phone}
    with transaction.atomic():
        withdrawn = case_withdraw_by_applicant(case=case.pk, version=version, reason=reason, actor_name=who)
        if application is not None and application.status != OnlineApplication.Status.WITHDRAWN:
            before = application.status
            OnlineApplication.objects.filter(pk=application.pk).update(
                status=OnlineApplication.Status.WITHDRAWN, updated_at=clock.now(), version=F("version") + 1
            )
            audit.record(
                action="online_application.withdraw",
                obj=application,
                after={"status": OnlineApplication.Status.WITHDRAWN, "before": before, "case": withdrawn.pk},
            )
    return withdrawn


def row_payload(row: MyCaseRow) -> dict[str, Any]:
    """A row for the API (already masked)."""
    return {
        "tab": row.tab,
        "item_name": row.item_name,
        "item_code": row.item_code,
        "number": row.number or None,
        "status": row.status,
        "status_label": row.status_label,
        "at": timezone.localtime(row.at),
        "due_at": timezone.localtime(row.due_at) if row.due_at else None,
        "acted_by": row.acted_by or None,
        "application_id": row.application_id,
        "channel": row.channel,
        "bundle_number": row.bundle_number or None,
    }

"""Writing cases. Every public function is atomic: it locks the case row, compares the client's
`version` (stale → Conflict), checks the state table (`transitions.py`) and the actor's
permission, computes deadlines with the pure functions of `clock.py`, writes the new state,
increments `version`, writes exactly ONE `CaseEvent` per transition and schedules side effects
(messages) with `transaction.on_commit`.

Entry points: `case_intake`, `case_submit_online`, `case_act` (every action of the table, with
the parameters listed in `ACTION_PARAMS`), `case_deem_accept_overdue`, `case_reveal_applicant`,
`case_file_add`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from onewindow.calendar.selectors import table as calendar_table
from onewindow.calendar.workdays import WorkingDayTable
from onewindow.cases import clock as case_clock
from onewindow.cases import numbers, overdue
from onewindow.cases import transitions as T
from onewindow.cases.applicants import validate_agent, validate_applicant
from onewindow.cases.models import (
    ALLOWED_FILE_EXTENSIONS,
    MAX_FILE_SIZE,
    Case,
    CaseEvent,
    CaseExtension,
    CaseFile,
    CaseMaterial,
    CaseNumberSequence,
    CasePause,
    CaseStep,
    CorrectionRequest,
    Notice,
    Status,
)
from onewindow.catalog.models import Material, ProcessStep, ServiceItem, ServiceItemVersion
from onewindow.core import audit, clock, context, fastsql
from onewindow.core.errors import (
    Conflict,
    DomainError,
    InvalidTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from onewindow.core.masking import mask_id_number, mask_phone
from onewindow.org.models import Center, Window
from onewindow.org.selectors import visible_department_ids

NumberKind = CaseNumberSequence.Kind

logger = logging.getLogger(__name__)

RIGHTS_STATEMENT = (
    "如不服本决定，可以自收到本通知之日起六十日内依法申请行政复议，或者六个月内依法向人民法院提起行政诉讼。"
)

# Actions whose events the public progress page may show.
PUBLIC_ACTIONS = frozenset(
    {
        T.SUBMIT,
        T.RECEIVE,
        T.PRE_REVIEW_PASS,
        T.ACCEPT,
        T.DEEM_ACCEPT,
        T.DEEM_APPROVE_STEP,
        T.REQUEST_CORRECTION,
        T.RECEIVE_CORRECTION,
        T.REFUSE,
        T.PASS_STEP,
        T.GRANT,
        T.DENY,
        T.START_SPECIAL_PROCEDURE,
        T.END_SPECIAL_PROCEDURE,
        T.REQUEST_PROCESSING_CORRECTION,
        T.RECEIVE_PROCESSING_CORRECTION,
        T.APPROVE_EXTENSION,
        T.ISSUE_CERTIFICATE,
        T.COMPLETE,
        T.DELIVER,
        T.WITHDRAW,
        T.TERMINATE,
    }
)


# --- the parameters of each action -------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """One parameter of a `case_act` action. `kind`: str | int | items (a list of
    {"material": id or name, "note": str}) | materials (a list of material ids or names)."""

    name: str
    kind: str = "str"
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


_OPINION = Param("opinion", help="The handler's opinion (意见).")
_NOTE = Param("note", help="A note recorded with the action.")
_ITEMS = Param(
    "items",
    "items",
    required=True,
    help='Everything to correct, in one go: [{"material": <material id or name>, "note": "what is wrong"}].',
)
_CORRECTION_REASON = Param(
    "reason", help="Required from the second correction request of a case on: why it was not named at first."
)
_PAUSE_KINDS = tuple(k for k in CasePause.Kind.values if k != CasePause.Kind.CORRECTION)

ACTION_PARAMS: dict[str, tuple[Param, ...]] = {
    T.PRE_REVIEW_PASS: (_OPINION,),
    T.ACCEPT: (
        _OPINION,
        Param("note", help="Required when a required material is missing: why it is accepted anyway."),
    ),
    T.REQUEST_CORRECTION: (_ITEMS, _CORRECTION_REASON),
    T.RECEIVE_CORRECTION: (
        Param(
            "materials", "materials", help="The materials handed in (ids or names of the item's materials)."
        ),
        _NOTE,
    ),
    T.REFUSE: (Param("reason", required=True, help="Why the application is refused (不予受理)."),),
    T.PASS_STEP: (_OPINION,),
    T.RETURN_STEP: (
        Param("to_position", "int", required=True, help="The position of the earlier step to return to."),
        Param("reason", required=True, help="Why the case is returned."),
    ),
    T.GRANT: (_OPINION,),
    T.DENY: (
        Param("reasons", required=True, help="The reasons for the denial (第38条)."),
        Param("rights_statement", help="The applicant's rights; a standard text when empty."),
        _OPINION,
    ),
    T.START_SPECIAL_PROCEDURE: (
        Param("kind", required=True, choices=_PAUSE_KINDS, help="The special procedure (第45条)."),
        Param("reason", required=True, help="Why it is needed; told to the applicant in writing."),
        Param("expected_working_days", "int", help="How long it is expected to take."),
    ),
    T.END_SPECIAL_PROCEDURE: (_NOTE,),
    T.REQUEST_PROCESSING_CORRECTION: (_ITEMS, _CORRECTION_REASON),
    T.RECEIVE_PROCESSING_CORRECTION: (
        Param("materials", "materials", help="The materials handed in (ids or names)."),
        _NOTE,
    ),
    T.REQUEST_EXTENSION: (
        Param("days", "int", required=True, help="Working days to add (at most half the legal limit, ≤ 15)."),
        Param("reason", required=True, help="Why the case needs more time."),
    ),
    T.APPROVE_EXTENSION: (_NOTE,),
    T.REJECT_EXTENSION: (Param("note", required=True, help="Why the extension is rejected."),),
    T.ISSUE_CERTIFICATE: (
        Param("certificate_number", help="The number of the certificate issued."),
        _OPINION,
    ),
    T.COMPLETE: (_NOTE,),
    T.DELIVER: (
        Param("method", required=True, choices=("pickup", "mail"), help="Picked up at the window or mailed."),
        Param("tracking_number", help="Required when mailed."),
        _NOTE,
    ),
    T.WITHDRAW: (Param("reason", required=True, help="Why the applicant withdraws."),),
    T.TERMINATE: (Param("reason", required=True, help="Why the case is terminated (终止)."),),
    T.DEEM_ACCEPT: (),
    T.DEEM_APPROVE_STEP: (),
}

DEEMED_OPINION = "超期默认"


def _clean_params(action: str, params: dict[str, Any]) -> dict[str, Any]:
    specs = {p.name: p for p in ACTION_PARAMS.get(action, ())}
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, Any] = {}
    for name in params:
        if name not in specs:
            errors[name] = [_("Unknown parameter for this action.")]
    for name, spec in specs.items():
        value = params.get(name)
        if spec.kind == "str":
            value = "" if value is None else str(value).strip()
            if spec.required and not value:
                errors[name] = [_("This field is required.")]
            elif spec.choices and value and value not in spec.choices:
                errors[name] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(spec.choices)}]
        elif spec.kind == "int":
            if value in (None, ""):
                if spec.required:
                    errors[name] = [_("This field is required.")]
                value = None
            else:
                try:
                    value = int(str(value))
                except (TypeError, ValueError):
                    errors[name] = [_("Enter a whole number.")]
        elif spec.kind in ("items", "materials"):
            if value is None:
                value = []
            if not isinstance(value, list | tuple):
                errors[name] = [_("Expected a list.")]
            elif spec.required and not value:
                errors[name] = [_("Name at least one material.")]
        cleaned[name] = value
    if errors:
        raise ValidationFailed(_("Check the fields of this action."), details=errors)
    return cleaned


# --- snapshots of published item versions (immutable, so cached per process) ------------------


@dataclass(frozen=True)
class _VersionSnapshot:
    version_id: int
    steps: tuple[ProcessStep, ...]
    materials: tuple[Material, ...]
    material_by_id: dict[int, Material]
    material_by_name: dict[str, Material]


_snapshots: dict[tuple[int, str], _VersionSnapshot] = {}
_snapshots_lock = threading.Lock()
# Tests roll their transactions back, so a primary key may come back with other content.
_CACHE_SNAPSHOTS = not getattr(settings, "TESTING", False)


def _snapshot(version: ServiceItemVersion) -> _VersionSnapshot:
    """Steps and materials of a published version: read once per process (published versions
    never change). Keyed by id and creation time, so a rolled-back id reused later is not mixed up."""
    key = (version.pk, version.created_at.isoformat() if version.created_at else "")
    found = _snapshots.get(key)
    if found is not None:
        return found
    steps = tuple(ProcessStep.objects.filter(version_id=version.pk).order_by("position"))
    materials = tuple(Material.objects.filter(version_id=version.pk).order_by("position"))
    snap = _VersionSnapshot(
        version_id=version.pk,
        steps=steps,
        materials=materials,
        material_by_id={m.pk: m for m in materials},
        material_by_name={m.name: m for m in materials},
    )
    if _CACHE_SNAPSHOTS and version.status != ServiceItemVersion.Status.DRAFT:
        with _snapshots_lock:
            if len(_snapshots) > 5000:
                _snapshots.clear()
            _snapshots[key] = snap
    return snap


_versions: dict[int, tuple[float, ServiceItemVersion]] = {}
VERSION_CACHE_SECONDS = 60.0  # published versions never change; names of related rows rarely do


def _published_version_id(center_id: int, code: str) -> int | None:
    """One indexed lookup, without the ORM's query building (it runs on every intake)."""
    table = connection.ops.quote_name(ServiceItem._meta.db_table)
    found = fastsql.rows(
        f"SELECT published_version_id FROM {table} WHERE center_id = %s AND code = %s",  # noqa: S608
        [center_id, code],
    )
    return int(found[0][0]) if found and found[0][0] is not None else None


def _published_version(center: Center | int, item_code: str) -> ServiceItemVersion:
    """The item's current published version. One small query finds its id; the version itself
    (immutable once published) is cached per process for a minute."""
    center_id = center if isinstance(center, int) else center.pk
    version_id = _published_version_id(center_id, str(item_code or "").strip())
    version = _cached_version(version_id, published=True) if version_id is not None else None
    if version is None:
        raise NotFound(
            _("No published service item with code %(code)s at this center.") % {"code": item_code},
            details={"item_code": [_("Unknown or unpublished item.")]},
        )
    today = clock.today()
    if (version.valid_from and version.valid_from > today) or (version.valid_to and version.valid_to < today):
        raise ValidationFailed(
            _("This service item is not valid today."),
            code="item_not_valid",
            details={"item_code": [_("Outside the item's validity dates.")]},
        )
    return version


# --- actors, permissions, posts ----------------------------------------------------------------


def _has_perm(user: Any, perm: str) -> bool:
    return bool(user is not None and getattr(user, "is_active", False) and user.has_perm(perm))


def _post_ids(user: Any) -> frozenset[int]:
    cached = getattr(user, "_ow_post_ids", None)
    if cached is None:
        cached = frozenset(user.posts.values_list("id", flat=True))
        user._ow_post_ids = cached
    return cached


def _window_of(user: Any) -> Window | None:
    if not getattr(user, "window_id", None):
        return None
    cached = getattr(user, "_ow_window", None)
    if cached is None or cached.pk != user.window_id:
        cached = Window.objects.filter(pk=user.window_id).first()
        user._ow_window = cached
    return cached


def _sees_case(user: Any, case: Case) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if user.center_id != case.center_id:
        return False
    ids = visible_department_ids(user)
    return ids is None or case.department_id in ids


def _may_accept_for(user: Any, department_id: int, window: Window | None = None) -> bool:
    """Intake rule: cases.accept_case, at a general window or a window of the item's department
    (or, without a window, staff of the item's department)."""
    if not _has_perm(user, T.ACCEPT_CASE):
        return False
    window = window if window is not None else _window_of(user)
    if window is not None:
        return window.active and (window.department_id is None or window.department_id == department_id)
    return user.department_id == department_id


def can_handle_step(user: Any, case: Case, step: CaseStep, *, permission: str = T.HANDLE_STEP) -> bool:
    """Whether `user` may act on `step`: the permission, the step's post, and the step's department.
    An acceptance step (受理) is handled with cases.accept_case by a clerk allowed to accept the item."""
    if user is None or user.center_id != case.center_id:
        return False
    if step.post_id not in _post_ids(user):
        return False
    if step.kind == ProcessStep.Kind.ACCEPT and permission == T.HANDLE_STEP:
        return _may_accept_for(user, step.department_id) or (
            _has_perm(user, T.HANDLE_STEP) and user.department_id == step.department_id
        )
    return _has_perm(user, permission) and user.department_id == step.department_id


def _actor_name(actor: Any) -> str:
    if actor is None:
        return "system"
    return (getattr(actor, "full_name", "") or actor.get_username())[:150]


# --- the unit of work of one service call ------------------------------------------------------


@dataclass
class _Work:
    case: Case
    actor: Any
    now: dt.datetime
    table: WorkingDayTable
    steps: list[CaseStep] | None = None
    new_case: bool = False
    new_steps: bool = False
    dirty_steps: dict[int, CaseStep] = field(default_factory=dict)
    events: list[tuple[CaseEvent, CaseStep | None]] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)
    rows: list[Any] = field(default_factory=list)  # other new rows (pauses, extensions, corrections)
    materials: list[CaseMaterial] = field(default_factory=list)
    messages: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    numbers_wanted: dict[str, dt.date] = field(default_factory=dict)  # kind -> day, see want_number

    @property
    def today(self) -> dt.date:
        return case_clock.local_date(self.now)

    def load_steps(self) -> list[CaseStep]:
        if self.steps is None:
            self.steps = _case_steps(self.case.pk)
        return self.steps

    def active_step(self) -> CaseStep | None:
        position = self.case.active_step_position
        if position is None:
            return None
        for step in self.load_steps():
            if step.position == position:
                return step
        return None

    def touch(self, step: CaseStep) -> None:
        if not self.new_steps:
            self.dirty_steps[step.position] = step

    def event(
        self,
        action: str,
        from_status: str,
        *,
        step: CaseStep | None = None,
        opinion: str = "",
        data: dict[str, Any] | None = None,
    ) -> None:
        """Record the transition just applied to `self.case` (status already changed): bumps
        the version and queues exactly one event."""
        if self.events or not self.new_case:
            self.case.version += 1
        self.events.append(
            (
                fastsql.new(
                    CaseEvent,
                    {"actor": self.actor},
                    seq=self.case.version,
                    at=self.now,
                    actor_name=_actor_name(self.actor),
                    action=action,
                    from_status=from_status,
                    to_status=self.case.status,
                    opinion=opinion,
                    data=_jsonable(data or {}),
                    public=action in PUBLIC_ACTIONS,
                ),
                step,
            )
        )

    def want_number(self, kind: str, day: dt.date) -> None:
        """Give the case a number of `kind` (CaseNumberSequence.Kind) of `day`. Taking it locks
        the center's sequence row until the commit, so `flush()` takes it last, just before the
        write (numbers.take); until then the case holds a placeholder, which flush replaces
        wherever the work copied it (events, notices, messages)."""
        self.numbers_wanted[kind] = day
        if kind == NumberKind.CASE:
            self.case.number = _PENDING_NUMBER[kind]
        else:
            self.case.receipt_number = _PENDING_NUMBER[kind]

    def notice(self, kind: str, data: dict[str, Any]) -> Notice:
        count = len(self.notices) + (
            0 if self.new_case else Notice.objects.filter(case_id=self.case.pk).count()
        )
        base = self.case.number or self.case.receipt_number
        notice = fastsql.new(
            Notice,
            kind=kind,
            number=f"{base}-{_NOTICE_CODES[kind]}{count + 1:02d}",
            issued_at=self.now,
            data={
                "case_number": self.case.number or "",
                "receipt_number": self.case.receipt_number,
                "item_code": self.case.item_version.item.code,
                "item_name": self.case.item_version.name,
                "department": self.case.department.name,
                "applicant_name": self.case.applicant_name,
                "applicant_id_number": mask_id_number(self.case.applicant_id_number),
                "issued_on": self.today.isoformat(),
                **_jsonable(data),
            },
        )
        self.notices.append(notice)
        return notice

    def _take_numbers(self, messages: list[Any], found: fastsql.Rows | None = None) -> None:
        """Take the wanted numbers and put them where the placeholders are. `found`: what
        `numbers.take_query` returned when it went out in the batch before (PostgreSQL)."""
        case = self.case
        if found is None:
            taken = numbers.take(
                center_id=case.center_id, center_code=case.center.code, wanted=self.numbers_wanted
            )
        else:
            taken = numbers.take_from(
                found, center_id=case.center_id, center_code=case.center.code, wanted=self.numbers_wanted
            )
        self.numbers_wanted = {}
        swap = {_PENDING_NUMBER[kind]: number for kind, number in taken.items()}

        def real(value: Any) -> Any:
            if isinstance(value, str):
                for placeholder, number in swap.items():
                    value = value.replace(placeholder, number)
                return value
            if isinstance(value, dict):
                return {k: real(v) for k, v in value.items()}
            if isinstance(value, list):
                return [real(v) for v in value]
            return value

        case.number = real(case.number)
        case.receipt_number = real(case.receipt_number)
        for event, _step in self.events:
            event.data = real(event.data)
        for notice in self.notices:
            notice.number = real(notice.number)
            notice.data = real(notice.data)
        for message in messages:
            message.body = real(message.body)

    def message(self, template_code: str, **extra: Any) -> None:
        self.messages.append((template_code, extra))

    def flush(self, *, last: bool = False) -> None:
        """Write the unit of work: the case, then its new and changed rows, one multi-row
        INSERT per table (core.fastsql: the ORM's per-field preparation dominated intake), all
        in one `fastsql.Batch` (on PostgreSQL: one round trip instead of one per statement).

        When the work takes numbers (ADR 0015) it takes them last; on PostgreSQL the rows that
        show no number (materials, steps) are written before, in a batch of their own that ends
        with the statement taking the numbers (one round trip), so that the sequence rows' lock
        covers as little as possible (foreign keys are checked at COMMIT there, so these rows
        may go before their case).

        `last`: the caller does nothing in the transaction after this (`fastsql.atomic()`), so
        the COMMIT may go with the last batch."""
        case = self.case
        batch = fastsql.Batch()
        early = fastsql.Batch() if self.numbers_wanted and batch.pipelined() else batch
        if self.new_case:
            batch.insert([case])
        else:
            batch.update(case)

        def belongs(rows: Sequence[Any]) -> None:
            # the case's key is filled in by the batch (a new case has none yet)
            for row in rows:
                row.case_id = case.pk
                row._state.fields_cache["case"] = case

        belongs(self.materials)
        early.insert(self.materials)
        if self.new_steps and self.steps:
            belongs(self.steps)
            early.insert(self.steps)
        elif self.dirty_steps:
            for s in self.dirty_steps.values():
                early.update(s)
        events = [event for event, _step in self.events]
        belongs(events)
        ip = context.current().ip
        for event, step in self.events:
            event.step_id = step.pk if step is not None else None
            if step is not None:
                event._state.fields_cache["step"] = step
            if ip:  # from where (ADR 0009: the case events are the case's audit trail)
                event.data["ip"] = ip
        batch.insert(events)
        belongs(self.notices)
        batch.insert(self.notices)
        messages = _build_messages(case, self.messages) if self.messages else []
        if messages:

            def point_at_case() -> None:
                for message in messages:
                    message.related_id = str(case.pk)

            batch.fill(point_at_case)
            batch.insert(messages)
        try:  # no savepoint needed: on error the whole transaction is rolled back
            if self.numbers_wanted:
                # Everything is built. Take the numbers, whose sequence rows stay locked until
                # the commit, last, so that concurrent intakes of a center queue for the rest
                # only; on PostgreSQL the rows that show no number go first, in one pipeline
                # with the statement that takes the numbers.
                found = None
                if early is not batch:
                    fastsql.reserve(batch, early)
                    found = early.query(
                        *numbers.take_query(center_id=case.center_id, wanted=self.numbers_wanted)
                    )
                    early.write()
                self._take_numbers(messages, found)
            batch.write(last=last and not self.rows)
        except IntegrityError as exc:  # a concurrent transition wrote the same event sequence
            raise Conflict(
                _("The case was changed by someone else; reload it and try again."),
                details={"version": case.version},
            ) from exc
        for row in self.rows:
            row.case = case
            row.save()
        if messages:
            from onewindow.notifications.services import messages_stored

            messages_stored()
        # for the caller (the API answers with them without reading them back)
        case._ow_issued_notices = list(self.notices)  # type: ignore[attr-defined]
        case._ow_steps = self.steps  # type: ignore[attr-defined]


# What a case shows in place of a number that its unit of work takes when it is written
# (private-use characters: never in real text).
_PENDING_NUMBER: dict[str, str] = {
    NumberKind.CASE: "\ue000case-number\ue001",
    NumberKind.RECEIPT: "\ue000receipt-number\ue001",
}

_NOTICE_CODES: dict[str, str] = {
    Notice.Kind.RECEIPT: "S",
    Notice.Kind.ACCEPTANCE: "A",
    Notice.Kind.CORRECTION: "B",
    Notice.Kind.REFUSAL: "R",
    Notice.Kind.SPECIAL_PROCEDURE: "T",
    Notice.Kind.EXTENSION: "Y",
    Notice.Kind.DECISION: "D",
    Notice.Kind.TERMINATION: "Z",
}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


# --- messages (after commit) -------------------------------------------------------------------


def _message_context(case: Case) -> dict[str, Any]:
    """The placeholders every case template may use (extra keys are ignored by the renderer)."""
    center = case.center
    window = case.window
    return {
        "center_name": center.name,
        "case_number": case.number or case.receipt_number,
        "receipt_number": case.receipt_number,
        "item_name": case.item_version.name,
        "applicant_name": case.applicant_name,
        "department": case.department.name,
        "due_date": case_clock.local_date(case.due_at).isoformat() if case.due_at else "",
        "pickup_place": f"{center.name}{window.name}" if window is not None else center.name,
    }


def _build_messages(case: Case, messages: list[tuple[str, dict[str, Any]]]) -> list[Any]:
    """The applicant's messages, rendered for the outbox, to be written in this transaction:
    they exist only if the change commits, and the outbox delivers them after the commit. A
    broken template never undoes a case action: it is logged and the action stands."""
    from onewindow.notifications.services import message_build

    if not case.applicant_phone:
        return []
    base = _message_context(case)
    built = []
    for template_code, extra in messages:
        try:
            message = message_build(
                template_code=template_code,
                recipient=case.applicant_phone,
                context={**base, **_jsonable(extra)},
                related_type="cases.case",
                related_id=str(case.pk or ""),
            )
        except DomainError as exc:
            logger.error("case %s: message %s not stored: %s", case.pk, template_code, exc.message)
            continue
        if message is not None:
            built.append(message)
    return built


# --- materials and corrections -----------------------------------------------------------------


def _resolve_material(snap: _VersionSnapshot, ref: Any) -> Material | None:
    if isinstance(ref, Material):
        return snap.material_by_id.get(ref.pk)
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        return snap.material_by_id.get(int(ref))
    if isinstance(ref, str):
        return snap.material_by_name.get(ref.strip())
    return None


def _intake_materials(snap: _VersionSnapshot, materials: Iterable[dict[str, Any]]) -> list[CaseMaterial]:
    """One CaseMaterial per material of the item version (received or not), plus free-named
    extras. Material ids must belong to the item version."""
    errors: dict[str, list[str]] = {}
    given: dict[int, CaseMaterial] = {}
    extras: list[CaseMaterial] = []
    forms = set(Material.Form.values)
    for i, entry in enumerate(materials or ()):
        if not isinstance(entry, dict):
            errors[f"materials.{i}"] = [_("Expected an object with material, received, form, copies, note.")]
            continue
        ref = entry.get("material", entry.get("material_id"))
        form = str(entry.get("form") or "")
        if form and form not in forms:
            errors[f"materials.{i}.form"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(forms)}]
        try:
            copies = int(entry.get("copies") or 1)
            if copies < 1 or copies > 999:
                raise ValueError
        except (TypeError, ValueError):
            errors[f"materials.{i}.copies"] = [_("Enter a number of copies between 1 and 999.")]
            copies = 1
        received = bool(entry.get("received", True))
        note = str(entry.get("note") or "")[:300]
        if ref not in (None, ""):
            material = _resolve_material(snap, ref)
            if material is None:
                errors[f"materials.{i}.material"] = [_("This material is not on the item's list.")]
                continue
            if material.pk in given:
                errors[f"materials.{i}.material"] = [_("This material is listed twice.")]
                continue
            given[material.pk] = fastsql.new(
                CaseMaterial,
                {"material": material},
                name=material.name,
                received=received,
                form=form or material.form,
                copies=copies,
                note=note,
                position=material.position,
            )
        else:
            name = str(entry.get("name") or "").strip()
            if not name:
                errors[f"materials.{i}.name"] = [_("Name the material or choose it from the item's list.")]
                continue
            extras.append(
                fastsql.new(
                    CaseMaterial,
                    name=name[:200],
                    received=received,
                    form=form,
                    copies=copies,
                    note=note,
                    position=1000 + i,
                )
            )
    if errors:
        raise ValidationFailed(_("Check the materials."), details=errors)
    rows = [
        given.get(m.pk)
        or fastsql.new(
            CaseMaterial,
            {"material": m},
            name=m.name,
            received=False,
            form=m.form,
            copies=m.copies,
            position=m.position,
        )
        for m in snap.materials
    ]
    return rows + extras


def _missing_required(snap: _VersionSnapshot, rows: Iterable[CaseMaterial]) -> list[str]:
    received = {r.material_id for r in rows if r.received and r.material_id}
    return [
        m.name
        for m in snap.materials
        if m.requirement == Material.Requirement.REQUIRED and m.pk not in received
    ]


def _correction_items(
    snap: _VersionSnapshot, items: Iterable[Any], *, field_name: str
) -> list[dict[str, Any]]:
    """The one-time notice's list: each item is one of the item's own materials, with a note."""
    errors: dict[str, list[str]] = {}
    cleaned: list[dict[str, Any]] = []
    seen: set[int] = set()
    for i, item in enumerate(items or ()):
        if not isinstance(item, dict):
            errors[f"{field_name}.{i}"] = [_('Expected {"material": …, "note": …}.')]
            continue
        material = _resolve_material(snap, item.get("material"))
        note = str(item.get("note") or "").strip()
        if material is None:
            errors[f"{field_name}.{i}.material"] = [_("Choose a material from the item's own list.")]
        elif material.pk in seen:
            errors[f"{field_name}.{i}.material"] = [_("This material is listed twice.")]
        if not note:
            errors[f"{field_name}.{i}.note"] = [_("Say what is missing or wrong.")]
        if material is not None and note and material.pk not in seen:
            seen.add(material.pk)
            cleaned.append({"material": material.pk, "name": material.name, "note": note[:300]})
    if not cleaned and not errors:
        errors[field_name] = [_("Name at least one material to correct.")]
    if errors:
        raise ValidationFailed(_("Check the list of materials to correct."), details=errors)
    return cleaned


# --- building the steps -----------------------------------------------------------------------


def _build_steps(case: Case, snap: _VersionSnapshot) -> list[CaseStep]:
    return [
        fastsql.new(
            CaseStep,
            {"case": case},
            position=s.position,
            name=s.name,
            kind=s.kind,
            post_id=s.post_id,
            department_id=case.department_id,
            limit_days=s.limit_days,
            on_site=s.on_site,
            status=CaseStep.Status.PENDING,
        )
        for s in snap.steps
    ]


def _activate(work: _Work, step: CaseStep, *, assignee: Any = None) -> None:
    step.status = CaseStep.Status.ACTIVE
    step.started_at = work.now
    step.finished_at = None
    step.handler = None
    step.opinion = ""
    step.result = ""
    step.paused_working_days = 0
    step.extension_days = 0
    step.assignee = assignee
    step.due_at = case_clock.step_due_at(
        work.table,
        started_on=work.today,
        limit_days=step.limit_days,
        certificate=step.kind == ProcessStep.Kind.CERTIFY,
    )
    step.level = 0
    _set_step_warn_at(work.table, work.case, step)
    work.case.active_step_position = step.position
    work.touch(step)


def _finish(work: _Work, step: CaseStep, *, result: str, opinion: str) -> None:
    step.status = CaseStep.Status.DONE
    step.finished_at = work.now
    step.handler = work.actor
    step.opinion = opinion
    step.result = result
    work.touch(step)


def _next_step(work: _Work, after: CaseStep) -> CaseStep | None:
    """The next step to do after `after`: the first later step still pending, or returned (the
    step that sent the case back is done again once the earlier step is passed)."""
    for step in work.load_steps():
        if step.position > after.position and step.status in _TO_DO:
            return step
    return None


_TO_DO = (CaseStep.Status.PENDING, CaseStep.Status.RETURNED)


def _decision_step_position(steps: list[CaseStep]) -> int | None:
    """The step on which the case is decided: the first of kind decide, else None."""
    for step in steps:
        if step.kind == ProcessStep.Kind.DECIDE:
            return step.position
    return None


def _skip_rest(work: _Work) -> None:
    for step in work.load_steps():
        if step.status in (CaseStep.Status.PENDING, CaseStep.Status.ACTIVE, CaseStep.Status.RETURNED):
            step.status = CaseStep.Status.SKIPPED
            if step.finished_at is None:
                step.finished_at = work.now
            work.touch(step)
    work.case.active_step_position = None


def _recompute_due(work: _Work) -> None:
    case = work.case
    if case.accepted_on is None:
        return
    case.due_at = case_clock.case_due_at(
        work.table,
        accepted_on=case.accepted_on,
        limit=case.promised_limit,
        paused_working_days=case.paused_working_days,
        extension_days=case.extension_days,
    )
    case.legal_due_at = case_clock.case_due_at(
        work.table,
        accepted_on=case.accepted_on,
        limit=case.legal_limit,
        paused_working_days=case.paused_working_days,
        extension_days=case.extension_days,
    )
    _set_case_warn_at(work.table, case, now=work.now)


def _recompute_step_due(work: _Work, step: CaseStep) -> None:
    if step.started_at is None:
        return
    step.due_at = case_clock.step_due_at(
        work.table,
        started_on=case_clock.local_date(step.started_at),
        limit_days=step.limit_days,
        paused_working_days=step.paused_working_days,
        extension_days=step.extension_days,
        certificate=step.kind == ProcessStep.Kind.CERTIFY,
    )
    _set_step_warn_at(work.table, work.case, step, now=work.now)
    work.touch(step)


# --- the yellow threshold and the supervision level (docs/adr/0008-supervision-levels.md) -------


def _item_id(case: Case) -> int | None:
    version = case.item_version
    return version.item_id if version is not None else None


def _set_case_warn_at(
    table: WorkingDayTable,
    case: Case,
    *,
    now: dt.datetime | None = None,
    thresholds: case_clock.Thresholds | None = None,
) -> None:
    """Compute `warn_at` of the case from its (already computed) `due_at`; with `now`, put the
    levels back to green when the moved deadlines no longer justify them."""
    if case.accepted_on is None or case.due_at is None:
        case.warn_at = None
        return
    thresholds = thresholds or case_clock.thresholds_for(case.center_id, _item_id(case))
    case.warn_at = case_clock.warn_at(
        table,
        started_at=case.accepted_at or case.due_at,
        start_on=case.accepted_on,
        total_days=case.promised_limit + case.paused_working_days + case.extension_days,
        limit_days=case.promised_limit + case.extension_days,
        thresholds=thresholds,
    )
    if now is not None:
        case.level = case_clock.level_after_move(case.level, now=now, warn=case.warn_at, due=case.due_at)
        if case.legal_level and case.legal_due_at is not None and case.legal_due_at >= now:
            case.legal_level = 0


def _set_step_warn_at(
    table: WorkingDayTable,
    case: Case,
    step: CaseStep,
    *,
    now: dt.datetime | None = None,
    thresholds: case_clock.Thresholds | None = None,
) -> None:
    """Compute `warn_at` of an active step from its `due_at` (see `_set_case_warn_at`)."""
    if step.started_at is None or step.due_at is None:
        step.warn_at = None
        return
    thresholds = thresholds or case_clock.thresholds_for(case.center_id, _item_id(case))
    limit = step.limit_days
    if step.kind == ProcessStep.Kind.CERTIFY:
        limit = min(limit, case_clock.CERTIFICATE_DAYS)
    step.warn_at = case_clock.warn_at(
        table,
        started_at=step.started_at,
        start_on=case_clock.local_date(step.started_at),
        total_days=limit + step.paused_working_days + step.extension_days,
        limit_days=limit + step.extension_days,
        thresholds=thresholds,
    )
    if now is not None:
        step.level = case_clock.level_after_move(step.level, now=now, warn=step.warn_at, due=step.due_at)


def _applicant_public(case: Case) -> dict[str, str]:
    return {
        "kind": case.applicant_kind,
        "name": case.applicant_name,
        "id_type": case.applicant_id_type,
        "id_number": mask_id_number(case.applicant_id_number),
        "phone": mask_phone(case.applicant_phone),
    }


# --- the actions --------------------------------------------------------------------------------


def _check_missing_required(snap: _VersionSnapshot, rows: Iterable[CaseMaterial], note: str) -> list[str]:
    """The required materials not received; ValidationFailed unless `note` explains them."""
    missing = _missing_required(snap, rows)
    if missing and not note:
        raise ValidationFailed(
            _(
                "Required materials are missing: %(names)s. Ask for a correction, "
                "or explain in the note why the case is accepted without them."
            )
            % {"names": "、".join(missing)},
            code="missing_required_material",
            details={"materials": missing, "note": [_("Explain why the case is accepted anyway.")]},
        )
    return missing


def _do_accept(work: _Work, snap: _VersionSnapshot, p: dict[str, Any], *, deemed: bool = False) -> None:
    case = work.case
    from_status = case.status
    data: dict[str, Any] = {}
    if not deemed:
        rows = work.materials if work.new_case else list(CaseMaterial.objects.filter(case=case))
        note = p.get("note", "")
        missing = _check_missing_required(snap, rows, note)
        if missing:
            data["missing_required"] = missing
            data["note"] = note
    accepted_on = case_clock.local_date(case.received_at) if deemed and case.received_at else work.today
    work.want_number(NumberKind.CASE, accepted_on)
    case.status = Status.ACCEPTED
    case.accepted_at = work.now
    case.accepted_on = accepted_on
    case.deemed_accepted = deemed
    case.answer_due_at = None
    _recompute_due(work)
    if work.steps is None or not work.steps:
        work.steps = _build_steps(case, snap)
        work.new_steps = True
    steps = work.steps
    if steps:
        _activate(work, steps[0])
    data.update({"number": case.number, "accepted_on": accepted_on.isoformat(), "due_at": case.due_at})
    if deemed:
        data["deemed"] = True
        data["received_on"] = accepted_on.isoformat()
    work.event(T.DEEM_ACCEPT if deemed else T.ACCEPT, from_status, opinion=p.get("opinion", ""), data=data)
    work.notice(
        Notice.Kind.ACCEPTANCE,
        {
            "accepted_on": accepted_on,
            "deemed": deemed,
            "promised_limit": case.promised_limit,
            "legal_limit": case.legal_limit,
            "due_date": case_clock.local_date(case.due_at) if case.due_at else None,
            "materials": [
                {"name": m.name, "received": m.received, "copies": m.copies}
                for m in (work.materials or CaseMaterial.objects.filter(case=case))
            ],
        },
    )
    work.message("case_accepted")


def _do_request_correction(work: _Work, snap: _VersionSnapshot, p: dict[str, Any], *, phase: str) -> None:
    case = work.case
    from_status = case.status
    field_name = "correction_items" if work.new_case else "items"
    items = _correction_items(snap, p.get("items") or (), field_name=field_name)
    repeat = case.correction_count >= 1
    reason = p.get("reason", "")
    if repeat and not reason:
        raise ValidationFailed(
            _("This case has already had a correction notice: give the reason for asking again."),
            code="reason_required",
            details={"reason": [_("Required for a second correction request.")]},
        )
    case.correction_count += 1
    data: dict[str, Any] = {"items": items, "phase": phase, "correction_number": case.correction_count}
    if reason:
        data["reason"] = reason
    if repeat:
        data["repeat_correction"] = True
    step = None
    if phase == CorrectionRequest.Phase.BEFORE_ACCEPTANCE:
        case.status = Status.CORRECTION_REQUESTED
        case.answer_due_at = None
    else:
        step = work.active_step()
        case.status = Status.CORRECTION_IN_PROGRESS
        work.rows.append(
            CasePause(
                step=step,
                kind=CasePause.Kind.CORRECTION,
                reason=reason or "；".join(f"{i['name']}: {i['note']}" for i in items),
                started_at=work.now,
            )
        )
    work.rows.append(
        CorrectionRequest(phase=phase, items=items, reason=reason, issued_at=work.now, issued_by=work.actor)
    )
    action = (
        T.REQUEST_CORRECTION
        if phase == CorrectionRequest.Phase.BEFORE_ACCEPTANCE
        else (T.REQUEST_PROCESSING_CORRECTION)
    )
    work.event(action, from_status, step=step, data=data)
    work.notice(Notice.Kind.CORRECTION, {"phase": phase, "items": items, "reason": reason})
    work.message("case_correction_requested", materials="；".join(i["name"] for i in items))


def _do_refuse(work: _Work, p: dict[str, Any]) -> None:
    case = work.case
    from_status = case.status
    case.status = Status.REFUSED
    case.closed_at = work.now
    case.answer_due_at = None
    work.event(T.REFUSE, from_status, data={"reason": p["reason"]})
    work.notice(Notice.Kind.REFUSAL, {"reason": p["reason"], "rights_statement": RIGHTS_STATEMENT})
    work.message("case_refused", reason=p["reason"])


def _mark_received(work: _Work, refs: Iterable[Any]) -> list[str]:
    refs = list(refs or ())
    if not refs:
        return []
    snap = _snapshot(work.case.item_version)
    rows = {r.material_id: r for r in CaseMaterial.objects.filter(case=work.case, material__isnull=False)}
    names: list[str] = []
    errors: dict[str, list[str]] = {}
    for i, ref in enumerate(refs):
        material = _resolve_material(snap, ref.get("material") if isinstance(ref, dict) else ref)
        if material is None:
            errors[f"materials.{i}"] = [_("This material is not on the item's list.")]
            continue
        row = rows.get(material.pk)
        if row is None:
            row = CaseMaterial(
                case=work.case, material=material, name=material.name, position=material.position
            )
        row.received = True
        row.save()
        names.append(material.name)
    if errors:
        raise ValidationFailed(_("Check the materials."), details=errors)
    return names


def _end_pause(work: _Work, kind_correction: bool) -> dict[str, Any]:
    """Close the open pause: count its working days, add them to the case and its step, move the
    deadlines."""
    qs = CasePause.objects.filter(case=work.case, ended_at__isnull=True)
    qs = (
        qs.filter(kind=CasePause.Kind.CORRECTION)
        if kind_correction
        else qs.exclude(kind=CasePause.Kind.CORRECTION)
    )
    pause = qs.order_by("-started_at", "-id").first()
    if pause is None:  # pragma: no cover - the status says there is one
        raise InvalidTransition(_("There is no open pause on this case."), details={"allowed_actions": []})
    days = case_clock.pause_working_days(
        work.table, started_on=case_clock.local_date(pause.started_at), ended_on=work.today
    )
    pause.ended_at = work.now
    pause.paused_working_days = days
    pause.save(update_fields=["ended_at", "paused_working_days"])
    case = work.case
    case.paused_working_days += days
    _recompute_due(work)
    step = work.active_step()
    if step is not None:
        step.paused_working_days += days
        _recompute_step_due(work, step)
    return {
        "pause_id": pause.pk,
        "kind": pause.kind,
        "started_on": case_clock.local_date(pause.started_at).isoformat(),
        "ended_on": work.today.isoformat(),
        "paused_working_days": days,
        "due_at": case.due_at,
    }


def _close_open_pauses(work: _Work) -> None:
    for pause in CasePause.objects.filter(case=work.case, ended_at__isnull=True):
        pause.ended_at = work.now
        pause.paused_working_days = case_clock.pause_working_days(
            work.table, started_on=case_clock.local_date(pause.started_at), ended_on=work.today
        )
        pause.save(update_fields=["ended_at", "paused_working_days"])


def _apply(work: _Work, action: str, p: dict[str, Any]) -> None:
    case = work.case
    data: dict[str, Any]
    from_status = case.status
    snap = _snapshot(case.item_version)

    if action == T.PRE_REVIEW_PASS:
        case.status = Status.RECEIVED
        case.received_at = work.now
        case.answer_due_at = case_clock.answer_due_at(work.table, received_on=work.today)
        work.event(
            action, from_status, opinion=p.get("opinion", ""), data={"answer_due_at": case.answer_due_at}
        )
    elif action == T.ACCEPT:
        _do_accept(work, snap, p)
    elif action == T.DEEM_ACCEPT:
        _do_accept(work, snap, {}, deemed=True)
    elif action == T.REQUEST_CORRECTION:
        _do_request_correction(work, snap, p, phase=CorrectionRequest.Phase.BEFORE_ACCEPTANCE)
    elif action == T.REQUEST_PROCESSING_CORRECTION:
        _do_request_correction(work, snap, p, phase=CorrectionRequest.Phase.DURING_PROCESSING)
    elif action == T.RECEIVE_CORRECTION:
        names = _mark_received(work, p.get("materials") or ())
        CorrectionRequest.objects.filter(case=case, received_at__isnull=True).update(received_at=work.now)
        case.status = Status.RECEIVED
        case.received_at = work.now
        case.answer_due_at = case_clock.answer_due_at(work.table, received_on=work.today)
        work.event(action, from_status, data={"materials": names, "note": p.get("note", "")})
    elif action == T.RECEIVE_PROCESSING_CORRECTION:
        names = _mark_received(work, p.get("materials") or ())
        CorrectionRequest.objects.filter(case=case, received_at__isnull=True).update(received_at=work.now)
        case.status = Status.IN_PROGRESS
        data = _end_pause(work, kind_correction=True)
        data.update({"materials": names, "note": p.get("note", "")})
        work.event(action, from_status, step=work.active_step(), data=data)
    elif action == T.REFUSE:
        _do_refuse(work, p)
    elif action == T.PASS_STEP:
        step = work.active_step()
        assert step is not None
        _finish(work, step, result=CaseStep.Result.PASS, opinion=p.get("opinion", ""))
        nxt = _next_step(work, step)
        data = {"step": step.name, "position": step.position}
        decided = case.status in (Status.DECIDED_GRANTED, Status.CERTIFICATE_ISSUED)
        if nxt is not None:
            _activate(work, nxt)
            if not decided:
                case.status = Status.IN_PROGRESS
            data["next_step"] = nxt.name
        else:
            case.active_step_position = None
            if not decided:  # the last step of a template without a decision step decides
                case.status = Status.DECIDED_GRANTED
                case.decision = Case.Decision.GRANTED
                case.decided_at = work.now
                data["decided"] = True
        work.event(action, from_status, step=step, opinion=p.get("opinion", ""), data=data)
    elif action == T.DEEM_APPROVE_STEP:
        step = work.active_step()
        assert step is not None
        decision_pos = _decision_step_position(work.load_steps())
        deciding = step.position == decision_pos or (
            decision_pos is None and step.position == work.load_steps()[-1].position
        )
        _finish(work, step, result=CaseStep.Result.DEEMED, opinion=DEEMED_OPINION)
        data = {"step": step.name, "position": step.position, "due_at": step.due_at, "deemed": True}
        nxt = _next_step(work, step)
        if nxt is not None:
            _activate(work, nxt)
        else:
            case.active_step_position = None
        if deciding:
            case.status = Status.DECIDED_GRANTED
            case.decision = Case.Decision.GRANTED
            case.decided_at = work.now
            data["decision"] = "granted"
        else:
            case.status = Status.IN_PROGRESS
        work.event(action, from_status, step=step, opinion=DEEMED_OPINION, data=data)
        if deciding:
            work.notice(
                Notice.Kind.DECISION, {"decision": "granted", "deemed": True, "decided_on": work.today}
            )
            work.message("case_deemed_approved")
    elif action == T.RETURN_STEP:
        step = work.active_step()
        assert step is not None
        target_pos = p["to_position"]
        target = next((s for s in work.load_steps() if s.position == target_pos), None)
        if target is None or target.position >= step.position or target.status != CaseStep.Status.DONE:
            raise ValidationFailed(
                _("A case can only be returned to an earlier step that was done."),
                details={"to_position": [_("Choose an earlier, completed step.")]},
            )
        previous_handler = target.handler
        step.status = CaseStep.Status.RETURNED
        step.finished_at = work.now
        step.handler = work.actor
        step.opinion = p["reason"]
        step.result = CaseStep.Result.RETURN
        work.touch(step)
        for s in work.load_steps():
            if target.position < s.position < step.position:
                s.status = CaseStep.Status.PENDING
                s.started_at = s.finished_at = s.due_at = None
                s.handler = None
                s.opinion = s.result = ""
                work.touch(s)
        _activate(work, target, assignee=previous_handler)
        case.status = Status.IN_PROGRESS
        work.event(
            action,
            from_status,
            step=step,
            opinion=p["reason"],
            data={
                "from_position": step.position,
                "to_position": target.position,
                "to_step": target.name,
                "reason": p["reason"],
            },
        )
    elif action == T.GRANT:
        step = work.active_step()
        assert step is not None
        _finish(work, step, result=CaseStep.Result.GRANT, opinion=p.get("opinion", ""))
        case.status = Status.DECIDED_GRANTED
        case.decision = Case.Decision.GRANTED
        case.decided_at = work.now
        nxt = _next_step(work, step)
        if nxt is not None:
            _activate(work, nxt)
        else:
            case.active_step_position = None
        work.event(action, from_status, step=step, opinion=p.get("opinion", ""), data={"decision": "granted"})
        work.notice(Notice.Kind.DECISION, {"decision": "granted", "decided_on": work.today})
    elif action == T.DENY:
        step = work.active_step()
        assert step is not None
        rights = p.get("rights_statement") or RIGHTS_STATEMENT
        _finish(work, step, result=CaseStep.Result.DENY, opinion=p.get("opinion") or p["reasons"])
        _skip_rest(work)
        case.status = Status.DECIDED_DENIED
        case.decision = Case.Decision.DENIED
        case.decided_at = work.now
        work.event(
            action,
            from_status,
            step=step,
            opinion=p.get("opinion") or p["reasons"],
            data={"decision": "denied", "reasons": p["reasons"], "rights_statement": rights},
        )
        work.notice(
            Notice.Kind.DECISION,
            {
                "decision": "denied",
                "reasons": p["reasons"],
                "rights_statement": rights,
                "decided_on": work.today,
            },
        )
    elif action == T.START_SPECIAL_PROCEDURE:
        step = work.active_step()
        expected = p.get("expected_working_days")
        if expected is not None and not 1 <= expected <= 365:
            raise ValidationFailed(
                _("Expected duration: 1 to 365 working days."),
                details={"expected_working_days": [_("Enter 1 to 365.")]},
            )
        expected_end = work.table.add_working_days(work.today, expected) if expected else None
        work.rows.append(
            CasePause(
                step=step,
                kind=p["kind"],
                reason=p["reason"],
                started_at=work.now,
                expected_working_days=expected,
                expected_end=expected_end,
            )
        )
        case.status = Status.SUSPENDED
        data = {
            "kind": p["kind"],
            "reason": p["reason"],
            "expected_working_days": expected,
            "expected_end": expected_end,
        }
        work.event(action, from_status, step=step, data=data)
        work.notice(Notice.Kind.SPECIAL_PROCEDURE, data)
    elif action == T.END_SPECIAL_PROCEDURE:
        case.status = Status.IN_PROGRESS
        data = _end_pause(work, kind_correction=False)
        data["note"] = p.get("note", "")
        work.event(action, from_status, step=work.active_step(), data=data)
    elif action == T.REQUEST_EXTENSION:
        days = p["days"]
        allowance = case_clock.extension_allowance(case.legal_limit)
        left = allowance - case.extension_days
        if days < 1 or days > left:
            raise ValidationFailed(
                _(
                    "An extension may add 1 to %(left)s working days "
                    "(at most %(allowance)s in all for a legal limit of %(legal)s days)."
                )
                % {"left": max(left, 0), "allowance": allowance, "legal": case.legal_limit},
                code="extension_too_long",
                details={"days": [_("At most %(left)s working days.") % {"left": max(left, 0)}]},
            )
        if CaseExtension.objects.filter(case=case, status=CaseExtension.Status.REQUESTED).exists():
            raise ValidationFailed(
                _("An extension request is already waiting for approval."), code="extension_pending"
            )
        work.rows.append(
            CaseExtension(days=days, reason=p["reason"], requested_by=work.actor, requested_at=work.now)
        )
        work.event(action, from_status, step=work.active_step(), data={"days": days, "reason": p["reason"]})
    elif action in (T.APPROVE_EXTENSION, T.REJECT_EXTENSION):
        ext = (
            CaseExtension.objects.select_for_update()
            .filter(case=case, status=CaseExtension.Status.REQUESTED)
            .order_by("requested_at", "id")
            .first()
        )
        if ext is None:
            raise InvalidTransition(
                _("There is no extension request to decide."),
                details={"allowed_actions": case_allowed_actions(case, None)},
            )
        approve = action == T.APPROVE_EXTENSION
        if approve and ext.days > case_clock.extension_allowance(case.legal_limit) - case.extension_days:
            raise ValidationFailed(_("The extension exceeds what the law allows."), code="extension_too_long")
        ext.status = CaseExtension.Status.APPROVED if approve else CaseExtension.Status.REJECTED
        ext.decided_by = work.actor
        ext.decided_at = work.now
        ext.decision_note = p.get("note", "")
        ext.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        data = {"extension_id": ext.pk, "days": ext.days, "reason": ext.reason, "note": p.get("note", "")}
        if approve:
            case.extension_days += ext.days
            _recompute_due(work)
            step = work.active_step()
            if step is not None:
                step.extension_days += ext.days
                _recompute_step_due(work, step)
            data["due_at"] = case.due_at
            data["legal_due_at"] = case.legal_due_at
        work.event(action, from_status, step=work.active_step(), data=data)
        if approve:
            work.notice(
                Notice.Kind.EXTENSION,
                {
                    "days": ext.days,
                    "reason": ext.reason,
                    "due_date": case_clock.local_date(case.due_at) if case.due_at else None,
                },
            )
    elif action == T.ISSUE_CERTIFICATE:
        step = work.active_step()
        assert step is not None
        _finish(work, step, result=CaseStep.Result.PASS, opinion=p.get("opinion", ""))
        nxt = _next_step(work, step)
        if nxt is not None:
            _activate(work, nxt)
        else:
            case.active_step_position = None
        case.status = Status.CERTIFICATE_ISSUED
        work.event(
            action,
            from_status,
            step=step,
            opinion=p.get("opinion", ""),
            data={"certificate_number": p.get("certificate_number", "")},
        )
    elif action == T.COMPLETE:
        case.status = Status.COMPLETED
        case.completed_at = work.now
        early = bool(case.due_at and work.today < case_clock.local_date(case.due_at))
        work.event(action, from_status, data={"early": early, "note": p.get("note", "")})
        work.message("case_completed_early" if early else "case_completed")
        if case.delivery_method == Case.DeliveryMethod.PICKUP:
            work.message("case_ready_for_pickup")
    elif action == T.DELIVER:
        method = p["method"]
        tracking = p.get("tracking_number", "")
        if method == "mail" and not tracking:
            raise ValidationFailed(
                _("Enter the tracking number of the mailing."),
                details={"tracking_number": [_("Required when the result is mailed.")]},
            )
        case.status = Status.DELIVERED
        case.delivered_at = work.now
        case.delivery_method = method
        case.tracking_number = tracking[:50]
        work.event(
            action,
            from_status,
            data={"method": method, "tracking_number": tracking, "note": p.get("note", "")},
        )
    elif action in (T.WITHDRAW, T.TERMINATE):
        _close_open_pauses(work)
        if case.accepted_on is not None:
            _skip_rest(work)
        case.status = Status.WITHDRAWN if action == T.WITHDRAW else Status.TERMINATED
        case.closed_at = work.now
        case.answer_due_at = None
        work.event(action, from_status, data={"reason": p["reason"]})
        if action == T.TERMINATE:
            work.notice(Notice.Kind.TERMINATION, {"reason": p["reason"]})
    else:  # pragma: no cover - every action of the table is handled above
        raise InvalidTransition(f"Unhandled action {action}", details={"allowed_actions": []})


# --- guards: context conditions beyond the table ------------------------------------------------


def _deemed_approval_at(due_at: dt.datetime, days: int) -> dt.datetime:
    """The end of the `days`-th working day after a step's due date: past it, the step is deemed
    approved (超期默认)."""
    return case_clock.end_of_nth_working_day(calendar_table(), case_clock.local_date(due_at), days)


def _guard(case: Case, action: str, steps: list[CaseStep], now: dt.datetime) -> str | None:
    """Why `action` cannot be performed now (None: it can). Only reads."""
    active = next((s for s in steps if s.position == case.active_step_position), None)
    decision_pos = _decision_step_position(steps)
    if action in (T.PASS_STEP, T.RETURN_STEP, T.GRANT, T.DENY, T.ISSUE_CERTIFICATE) and active is None:
        return _("There is no active step.")
    if action == T.PASS_STEP:
        assert active is not None
        if active.kind == ProcessStep.Kind.DECIDE:
            return _("The decision step is decided with grant or deny.")
        if active.kind == ProcessStep.Kind.CERTIFY and case.status == Status.DECIDED_GRANTED:
            return _("The certificate step is finished with issue_certificate.")
    if action in (T.GRANT, T.DENY):
        assert active is not None
        if decision_pos is not None and active.position != decision_pos:
            return _("The case is decided on its decision step.")
        if decision_pos is None and active.position != steps[-1].position:
            return _("The case is decided on its last step.")
    if action == T.ISSUE_CERTIFICATE:
        assert active is not None
        if active.kind != ProcessStep.Kind.CERTIFY:
            return _("The active step is not a certificate step.")
    if action == T.RETURN_STEP:
        assert active is not None
        if not any(s.position < active.position and s.status == CaseStep.Status.DONE for s in steps):
            return _("There is no earlier step to return to.")
    if action == T.COMPLETE and any(
        s.status in (CaseStep.Status.PENDING, CaseStep.Status.ACTIVE, CaseStep.Status.RETURNED) for s in steps
    ):
        return _("Steps are still open.")
    if (
        action in (T.APPROVE_EXTENSION, T.REJECT_EXTENSION)
        and not CaseExtension.objects.filter(case=case, status=CaseExtension.Status.REQUESTED).exists()
    ):
        return _("There is no extension request to decide.")
    if action == T.REQUEST_EXTENSION:
        if CaseExtension.objects.filter(case=case, status=CaseExtension.Status.REQUESTED).exists():
            return _("An extension request is already waiting for approval.")
        if case_clock.extension_allowance(case.legal_limit) - case.extension_days < 1:
            return _("The case has used every extension day the law allows.")
    if action == T.DEEM_ACCEPT and (case.answer_due_at is None or case.answer_due_at >= now):
        return _("The five working days to answer have not passed.")
    if action == T.DEEM_APPROVE_STEP:
        days = case.item_version.deemed_approval_days
        if days is None:
            return _("This item has no deemed approval.")
        if active is None or active.due_at is None:
            return _("There is no active step.")
        if now <= _deemed_approval_at(active.due_at, days):
            return _("The step is not overdue long enough for deemed approval.")
    return None


def _actor_may(
    actor: Any, case: Case, action: str, transition: T.Transition, steps: list[CaseStep]
) -> str | None:
    """Why `actor` may not perform `action` (None: allowed)."""
    if transition.permission is T.SYSTEM:
        return _("Only the system performs this action.")
    if not _sees_case(actor, case):
        return _("This case is outside your data scope.")
    if action in T.STEP_ACTIONS:
        active = next((s for s in steps if s.position == case.active_step_position), None)
        if active is None:
            return _("There is no active step.")
        perm = T.DECIDE_CASE if action in (T.GRANT, T.DENY) else T.HANDLE_STEP
        if action in (T.GRANT, T.DENY) and active.kind == ProcessStep.Kind.ACCEPT:
            # an acceptance step that decides (instant templates): a clerk who may decide
            if not _has_perm(actor, T.DECIDE_CASE):
                return _("You need the permission %(perm)s.") % {"perm": T.DECIDE_CASE}
            if not can_handle_step(actor, case, active):
                return _("This step is handled by the post %(post)s of its department.") % {
                    "post": active.post_id
                }
            return None
        if not can_handle_step(actor, case, active, permission=perm):
            if not _has_perm(actor, perm) and active.kind != ProcessStep.Kind.ACCEPT:
                return _("You need the permission %(perm)s.") % {"perm": perm}
            return _("This step is handled by another post or department.")
        return None
    if action in (
        T.START_SPECIAL_PROCEDURE,
        T.END_SPECIAL_PROCEDURE,
        T.REQUEST_PROCESSING_CORRECTION,
        T.REQUEST_EXTENSION,
    ):
        # the handler of the active step (an acceptance step: a clerk allowed to accept the item)
        active = next((s for s in steps if s.position == case.active_step_position), None)
        if active is not None:
            if can_handle_step(actor, case, active):
                return None
            if not _has_perm(actor, T.HANDLE_STEP) and active.kind != ProcessStep.Kind.ACCEPT:
                return _("You need the permission %(perm)s.") % {"perm": T.HANDLE_STEP}
            return _("Only a handler of the active step can do this.")
        if not _has_perm(actor, T.HANDLE_STEP):
            return _("You need the permission %(perm)s.") % {"perm": T.HANDLE_STEP}
        if actor.department_id != case.department_id:
            return _("Only the item's department can do this.")
        return None
    if transition.permission == T.ACCEPT_CASE:
        if not _may_accept_for(actor, case.department_id):
            if not _has_perm(actor, T.ACCEPT_CASE):
                return _("You need the permission %(perm)s.") % {"perm": T.ACCEPT_CASE}
            return _("Accept this item at a general window or a window of its department.")
        return None
    if transition.permission and not _has_perm(actor, transition.permission):
        return _("You need the permission %(perm)s.") % {"perm": transition.permission}
    if transition.permission == T.DECIDE_CASE and actor.department_id != case.department_id:
        return _("Only the item's department can do this.")
    return None


def case_allowed_actions(case: Case, user: Any = None, *, now: dt.datetime | None = None) -> list[str]:
    """See `transitions.allowed_actions`."""
    now = now or clock.now()
    steps = list(CaseStep.objects.filter(case=case).order_by("position")) if case.accepted_on else []
    result = []
    for action in T.actions_from(case.status):
        transition = T.TABLE[(case.status, action)]
        if _guard(case, action, steps, now) is not None:
            continue
        if user is not None and _actor_may(user, case, action, transition, steps) is not None:
            continue
        result.append(action)
    return result


# --- public entry points ------------------------------------------------------------------------


_CASE_BY_ID = '"id" = %s'
_STEPS_OF_CASE = '"case_id" = %s'
_BY_POSITION = '"position"'


def _cached_version(version_id: int, *, published: bool = False) -> ServiceItemVersion | None:
    """Item version `version_id` with its item, center and department (None if absent, or not
    published when `published`). Versions never change once published, so each process keeps
    them for VERSION_CACHE_SECONDS (drafts are never kept)."""
    cached = _versions.get(version_id) if _CACHE_SNAPSHOTS else None
    if cached is not None and time.monotonic() - cached[0] < VERSION_CACHE_SECONDS:
        return cached[1]
    query = ServiceItemVersion.objects.select_related("item", "item__center", "department")
    if published:
        query = query.filter(status=ServiceItemVersion.Status.PUBLISHED)
    version = query.filter(pk=version_id).first()
    if version is not None and _CACHE_SNAPSHOTS and version.status != ServiceItemVersion.Status.DRAFT:
        with _snapshots_lock:
            if len(_versions) > 5000:
                _versions.clear()
            _versions[version_id] = (time.monotonic(), version)
    return version


def _version_by_id(version_id: int) -> ServiceItemVersion:
    """A case's item version (see `_cached_version`)."""
    version = _cached_version(version_id)
    if version is None:  # pragma: no cover - cases protect their version
        raise NotFound(_("No such item version."))
    return version


def _case_steps(case_id: int) -> list[CaseStep]:
    return fastsql.select(CaseStep, _STEPS_OF_CASE, [case_id], order_by=_BY_POSITION)


def _lock_case(case_id: int) -> Case:
    """The case, re-read under its row lock (SELECT … FOR UPDATE on PostgreSQL; SQLite's write
    transaction is the lock), with every column, without the ORM's query building. Its item
    version comes from the per-process cache; the center and department load when something
    asks for them."""
    return _lock_case_with_steps(case_id, steps=False)[0]


# the case of a number (case or receipt number), for the statements of `_lock_case_with_steps`
_CASE_OF_NUMBER = (
    f'SELECT "id" FROM "{Case._meta.db_table}" WHERE "number" = %s OR "receipt_number" = %s '  # noqa: S608
    'ORDER BY "id" LIMIT 1'
)


def _lock_case_with_steps(case: Case | str | int, *, steps: bool = True) -> tuple[Case, list[CaseStep]]:
    """`_lock_case` of a case, its id, or its case or receipt number, and (`steps`) the case's
    steps read under the lock, in one round trip on PostgreSQL (with the transaction's BEGIN):
    every action starts with them."""
    params: list[Any]
    if isinstance(case, Case | int):
        where, params = _CASE_BY_ID, [case.pk if isinstance(case, Case) else case]
        steps_where = _STEPS_OF_CASE
    else:
        number = numbers.parse_case_number(case)
        where, params = f'"id" = ({_CASE_OF_NUMBER})', [number, number]
        steps_where = f'"case_id" = ({_CASE_OF_NUMBER})'
    selects = [fastsql.Select(Case, where, params, for_update=True)]
    if steps:
        selects.append(fastsql.Select(CaseStep, steps_where, params, order_by=_BY_POSITION))
    found, *rest = fastsql.select_many(selects)
    if not found:
        raise NotFound(_("No such case."))
    locked = found[0]
    locked._state.fields_cache["item_version"] = _version_by_id(locked.item_version_id)
    return locked, rest[0] if rest else []


@fastsql.atomic()  # its last write may carry the COMMIT (ADR 0016)
def case_act(*, case: Case | str | int, action: str, version: int, actor: Any, **params: Any) -> Case:
    """Perform `action` on `case` (a Case, a case number or a receipt number).

    `version` is the version the client saw (stale → Conflict). `params` are those listed in
    `ACTION_PARAMS[action]`. Raises InvalidTransition (details: allowed actions), PermissionDenied,
    ValidationFailed, NotFound, Conflict.
    """
    locked, all_steps = _lock_case_with_steps(case)
    if version is None or int(version) != locked.version:
        raise Conflict(
            _(
                "The case was changed by someone else (version %(theirs)s, you have %(yours)s); "
                "reload it and try again."
            )
            % {"theirs": locked.version, "yours": version},
            details={"version": locked.version},
        )
    transition = T.transition_for(locked.status, action)
    now = clock.now()
    steps = all_steps if locked.accepted_on else []
    reason = _guard(locked, action, steps, now)
    if reason is not None:
        raise InvalidTransition(
            reason,
            details={
                "status": locked.status,
                "action": action,
                "allowed_actions": case_allowed_actions(locked, actor),
            },
        )
    if actor is None:
        if transition.permission is not T.SYSTEM:
            raise PermissionDenied(_("This action needs a staff member."))
    else:
        why = _actor_may(actor, locked, action, transition, steps)
        if why is not None:
            raise PermissionDenied(why)
    cleaned = _clean_params(action, params)
    work = _Work(case=locked, actor=actor, now=now, table=calendar_table(), steps=steps)
    _apply(work, action, cleaned)
    work.flush(last=True)
    return locked


def _intake_window(actor: Any, window: Window | None, version: ServiceItemVersion) -> Window | None:
    if window is not None and window.center_id != version.item.center_id:
        raise ValidationFailed(
            _("This window belongs to another center."), details={"window": [_("Wrong center.")]}
        )
    if not _has_perm(actor, T.ACCEPT_CASE):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": T.ACCEPT_CASE})
    if actor.center_id != version.item.center_id:
        raise PermissionDenied(_("You work at another center."))
    effective = window if window is not None else _window_of(actor)
    if not _may_accept_for(actor, version.department_id, effective):
        raise PermissionDenied(
            _("This item is accepted at a general window or a window of %(dept)s.")
            % {"dept": version.department.name}
        )
    return effective


def _new_case(
    *,
    version: ServiceItemVersion,
    center: Center,
    applicant: dict[str, str],
    agent: dict[str, str] | None,
    channel: str,
    window: Window | None,
    actor: Any,
    now: dt.datetime,
    status: str,
    green_channel: bool,
    green_channel_handler: Any,
    delivery_method: str,
    note: str,
) -> Case:
    return fastsql.new(
        Case,
        {
            "center": center,
            "window": window,
            "item_version": version,
            "department": version.department,
            "created_by": actor,
            "green_channel_handler": green_channel_handler,
        },
        channel=channel,
        status=status,
        version=1,
        applicant_kind=applicant["kind"],
        applicant_name=applicant["name"],
        applicant_id_type=applicant["id_type"],
        applicant_id_number=applicant["id_number"],
        applicant_phone=applicant["phone"],
        applicant_address=applicant["address"],
        agent_name=agent["name"] if agent else "",
        agent_id_number=agent["id_number"] if agent else "",
        agent_phone=agent["phone"] if agent else "",
        delivery_method=delivery_method,
        green_channel=green_channel,
        promised_limit=version.promised_limit,
        legal_limit=version.legal_limit,
        is_instant=version.handling_type == ServiceItemVersion.HandlingType.INSTANT,
        created_at=now,
        note=note[:2000],
    )


def _validate_common(
    *,
    channel: str,
    agent: dict[str, Any] | None,
    green_channel: bool,
    green_channel_handler: Any,
    version: ServiceItemVersion,
    delivery_method: str,
) -> None:
    errors: dict[str, list[str]] = {}
    if channel not in Case.Channel.values:
        errors["channel"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(Case.Channel.values)}]
    if channel == Case.Channel.AGENT and not agent:
        errors["agent"] = [_("An agent-service application needs the agent's details.")]
    if delivery_method not in Case.DeliveryMethod.values:
        errors["delivery_method"] = [_("Choose pickup or mail.")]
    if green_channel:
        if not version.green_channel_eligible:
            errors["green_channel"] = [_("This item is not eligible for the green channel.")]
        if green_channel_handler is None:
            errors["green_channel_handler"] = [_("Name the handler who follows the case end to end.")]
        elif green_channel_handler.center_id != version.item.center_id or not green_channel_handler.is_active:
            errors["green_channel_handler"] = [_("The handler must be an active account of this center.")]
    elif green_channel_handler is not None:
        errors["green_channel_handler"] = [_("Only green channel cases have a named handler.")]
    if errors:
        raise ValidationFailed(_("Check the application."), details=errors)


def case_intake(
    *,
    actor: Any,
    item_code: str,
    center: Center,
    applicant: dict[str, Any],
    channel: str,
    materials: list[dict[str, Any]],
    action: str,
    note: str = "",
    correction_items: Iterable[dict[str, Any]] = (),
    window: Window | None = None,
    agent: dict[str, Any] | None = None,
    green_channel: bool = False,
    green_channel_handler: Any = None,
    received_at: dt.datetime | None = None,
    delivery_method: str = "pickup",
) -> Case:
    """Register an application at a window (receipt number, status received) and answer it in
    the same sitting with exactly one of `action`: "accept" (an instant item is then completed
    too), "correct" (one-time notice listing `correction_items`) or "refuse" (`note` is the
    reason). Accepting with a required material missing needs `note` to explain it."""
    if action not in ("accept", "correct", "refuse"):
        raise ValidationFailed(
            _("Choose accept, correct or refuse."),
            details={"action": [_("Choose accept, correct or refuse.")]},
        )
    version = _published_version(center, item_code)
    window = _intake_window(actor, window, version)
    applicant_data = validate_applicant(applicant)
    agent_data = validate_agent(agent)
    _validate_common(
        channel=channel,
        agent=agent,
        green_channel=green_channel,
        green_channel_handler=green_channel_handler,
        version=version,
        delivery_method=delivery_method,
    )
    if action == "refuse" and not note.strip():
        raise ValidationFailed(
            _("Give the reason for refusing the application."),
            details={"note": [_("The reason is required.")]},
        )
    now = clock.now()
    if received_at is not None and received_at > now:
        raise ValidationFailed(
            _("The receipt time is in the future."), details={"received_at": [_("In the future.")]}
        )
    snap = _snapshot(version)
    material_rows = _intake_materials(snap, materials)
    received_at = received_at or now
    table = calendar_table()
    case = _new_case(
        version=version,
        center=version.item.center,
        applicant=applicant_data,
        agent=agent_data,
        channel=channel,
        window=window,
        actor=actor,
        now=now,
        status=Status.RECEIVED,
        green_channel=green_channel,
        green_channel_handler=green_channel_handler,
        delivery_method=delivery_method,
        note=note if action == "accept" else "",
    )
    case.received_at = received_at
    received_on = case_clock.local_date(received_at)
    case.answer_due_at = case_clock.answer_due_at(table, received_on=received_on)
    if action == "accept":
        _check_missing_required(snap, material_rows, note)
    elif action == "correct":
        _correction_items(snap, correction_items, field_name="correction_items")
    # Everything above only reads; the transaction (and SQLite's write lock) starts here; its
    # last write may carry the COMMIT (ADR 0016).
    with fastsql.atomic():
        return _intake_write(
            case=case,
            actor=actor,
            now=now,
            table=table,
            snap=snap,
            material_rows=material_rows,
            received_on=received_on,
            agent_data=agent_data,
            action=action,
            note=note,
            correction_items=correction_items,
        )


def _intake_write(
    *,
    case: Case,
    actor: Any,
    now: dt.datetime,
    table: WorkingDayTable,
    snap: _VersionSnapshot,
    material_rows: list[CaseMaterial],
    received_on: dt.date,
    agent_data: dict[str, str] | None,
    action: str,
    note: str,
    correction_items: Iterable[dict[str, Any]],
) -> Case:
    work = _Work(case=case, actor=actor, now=now, table=table, new_case=True)
    work.want_number(NumberKind.RECEIPT, received_on)
    work.materials = material_rows
    work.event(
        T.RECEIVE,
        "",
        data={
            "channel": case.channel,
            "applicant": _applicant_public(case),
            "agent": agent_data["name"] if agent_data else "",
            "materials": [m.name for m in material_rows if m.received],
            "green_channel": case.green_channel,
        },
    )
    if action == "accept":
        _do_accept(work, snap, {"note": note})
        if case.is_instant:
            _complete_instant(work)
    elif action == "correct":
        _do_request_correction(
            work,
            snap,
            {"items": list(correction_items or ()), "reason": ""},
            phase=CorrectionRequest.Phase.BEFORE_ACCEPTANCE,
        )
    else:
        _do_refuse(work, {"reason": note.strip()})
    work.flush(last=True)  # no AuditEntry: the case events record who, when, from where, what (ADR 0009)
    return case


def _complete_instant(work: _Work) -> None:
    """An instant item (即办件) is accepted and completed in one sitting: the clerk passes (or
    decides) every step, then completes; one event per transition."""
    case = work.case
    steps = work.load_steps()
    actor = work.actor
    while case.active_step_position is not None:
        active = work.active_step()
        assert active is not None
        action = T.PASS_STEP
        decision_pos = _decision_step_position(steps)
        if active.kind == ProcessStep.Kind.DECIDE and active.position == decision_pos:
            action = T.GRANT
        elif active.kind == ProcessStep.Kind.CERTIFY and case.status == Status.DECIDED_GRANTED:
            action = T.ISSUE_CERTIFICATE
        transition = T.transition_for(case.status, action)
        why = _actor_may(actor, case, action, transition, steps)
        if why is not None:
            raise PermissionDenied(
                _("This instant item cannot be completed in one sitting: step %(step)s. %(why)s")
                % {"step": active.name, "why": why}
            )
        _apply(work, action, {"opinion": ""})
    transition = T.transition_for(case.status, T.COMPLETE)
    why = _actor_may(actor, case, T.COMPLETE, transition, steps)
    if why is not None:
        raise PermissionDenied(
            _("This instant item cannot be completed in one sitting: %(why)s") % {"why": why}
        )
    _apply(work, T.COMPLETE, {"note": ""})


@transaction.atomic
def case_submit_online(
    *,
    center: Center,
    item_code: str,
    applicant: dict[str, Any],
    materials: list[dict[str, Any]],
    agent: dict[str, Any] | None = None,
    delivery_method: str = "pickup",
    note: str = "",
) -> Case:
    """An online application (网上申报): status submitted, awaiting pre-review. It gets a receipt
    number now; `pre_review_pass` moves it to received (the 5-day answer clock starts then)."""
    version = _published_version(center, item_code)
    if not version.online_allowed:
        raise ValidationFailed(
            _("This item cannot be applied for online."),
            code="online_not_allowed",
            details={"item_code": [_("Apply at a window.")]},
        )
    applicant_data = validate_applicant(applicant)
    agent_data = validate_agent(agent)
    _validate_common(
        channel=Case.Channel.ONLINE,
        agent=agent,
        green_channel=False,
        green_channel_handler=None,
        version=version,
        delivery_method=delivery_method,
    )
    snap = _snapshot(version)
    material_rows = _intake_materials(snap, materials)
    now = clock.now()
    case = _new_case(
        version=version,
        center=version.item.center,
        applicant=applicant_data,
        agent=agent_data,
        channel=Case.Channel.ONLINE,
        window=None,
        actor=None,
        now=now,
        status=Status.SUBMITTED,
        green_channel=False,
        green_channel_handler=None,
        delivery_method=delivery_method,
        note=note,
    )
    case.submitted_at = now
    work = _Work(case=case, actor=None, now=now, table=calendar_table(), new_case=True)
    work.want_number(NumberKind.RECEIPT, case_clock.local_date(now))
    work.materials = material_rows
    work.event(
        T.SUBMIT,
        "",
        data={
            "channel": Case.Channel.ONLINE,
            "applicant": _applicant_public(case),
            "materials": [m.name for m in material_rows if m.received],
        },
    )
    work.flush()
    return case


def case_deem_accept_overdue(*, now: dt.datetime | None = None) -> int:
    """The 5-working-day rule (《行政许可法》第32条): every received application whose answer
    deadline has passed is accepted, from the day it was received, as a system action.
    Safe to run twice or in two workers at once: each case is re-checked under its lock."""
    now = now or clock.now()
    done = 0
    for pk in overdue.deem_accept_candidates(now=now):
        try:
            with transaction.atomic():
                case = _lock_case(pk)
                if case.status != Status.RECEIVED or case.answer_due_at is None or case.answer_due_at >= now:
                    continue
                work = _Work(case=case, actor=None, now=now, table=calendar_table(), steps=[])
                _apply(work, T.DEEM_ACCEPT, {})
                work.flush()
                done += 1
        except Conflict:  # pragma: no cover - another worker got there first
            continue
    return done


def case_deem_approve_overdue_steps(*, now: dt.datetime | None = None) -> int:
    """超期默认: every active step of an item that allows deemed approval, overdue by the item's
    `deemed_approval_days` working days, passes as a system action (the decision step grants
    the case). Scans the step deadline index; safe to run twice or in two workers at once."""
    now = now or clock.now()
    done = 0
    for pk in overdue.deem_approve_candidates(now=now):
        with transaction.atomic():
            case, steps = _lock_case_with_steps(pk)
            if case.status not in (Status.ACCEPTED, Status.IN_PROGRESS):
                continue
            if _guard(case, T.DEEM_APPROVE_STEP, steps, now) is not None:
                continue
            work = _Work(case=case, actor=None, now=now, table=calendar_table(), steps=steps)
            _apply(work, T.DEEM_APPROVE_STEP, {})
            work.flush()
            done += 1
    return done


# Statuses whose deadlines still matter: accepted and not yet completed, closed or delivered.
_DEADLINE_STATUSES = (
    Status.ACCEPTED,
    Status.IN_PROGRESS,
    Status.SUSPENDED,
    Status.CORRECTION_IN_PROGRESS,
    Status.DECIDED_GRANTED,
    Status.DECIDED_DENIED,
    Status.CERTIFICATE_ISSUED,
)
RECOMPUTE_BATCH = 500


@transaction.atomic
def case_recompute_deadlines(
    *, case_ids: Iterable[int] | None = None, center_id: int | None = None, batch_size: int = RECOMPUTE_BATCH
) -> int:
    """Recompute due_at, legal_due_at and warn_at of open cases and their active step with the
    current calendar and yellow thresholds (after a calendar edit or a threshold change); levels
    that the moved deadlines no longer justify go back to green. Idempotent: returns the number
    of cases whose case or step row changed. Works in batches of ids, each row locked."""
    now = clock.now()
    table = calendar_table()
    base = Case.objects.filter(status__in=_DEADLINE_STATUSES, accepted_on__isnull=False)
    if center_id is not None:
        base = base.filter(center_id=center_id)
    wanted = sorted(set(case_ids)) if case_ids is not None else None
    thresholds: dict[tuple[int, int | None], case_clock.Thresholds] = {}
    changed = 0
    last = 0
    case_fields = ("due_at", "legal_due_at", "warn_at", "level", "legal_level")
    step_fields = ("due_at", "warn_at", "level")
    while True:
        qs = base.filter(pk__gt=last).order_by("pk")
        if wanted is not None:
            chunk = [i for i in wanted if i > last][:batch_size]
            if not chunk:
                break
            qs = qs.filter(pk__in=chunk)
            last = chunk[-1]
        ids = list(qs.values_list("pk", flat=True)[:batch_size])
        if not ids:
            if wanted is None:
                break
            continue
        if wanted is None:
            last = ids[-1]
        cases = list(
            Case.objects.select_for_update(of=("self",))
            .select_related("item_version")
            .filter(pk__in=ids, status__in=_DEADLINE_STATUSES)
        )
        steps = {
            s.case_id: s
            for s in CaseStep.objects.select_for_update().filter(
                case_id__in=ids, status=CaseStep.Status.ACTIVE
            )
        }
        dirty_cases: list[Case] = []
        dirty_steps: list[CaseStep] = []
        for case in cases:
            key = (case.center_id, _item_id(case))
            if key not in thresholds:
                thresholds[key] = case_clock.thresholds_for(*key)
            before = tuple(getattr(case, f) for f in case_fields)
            case.due_at = case_clock.case_due_at(
                table,
                accepted_on=case.accepted_on,  # type: ignore[arg-type]
                limit=case.promised_limit,
                paused_working_days=case.paused_working_days,
                extension_days=case.extension_days,
            )
            case.legal_due_at = case_clock.case_due_at(
                table,
                accepted_on=case.accepted_on,  # type: ignore[arg-type]
                limit=case.legal_limit,
                paused_working_days=case.paused_working_days,
                extension_days=case.extension_days,
            )
            _set_case_warn_at(table, case, now=now, thresholds=thresholds[key])
            row_changed = tuple(getattr(case, f) for f in case_fields) != before
            if row_changed:
                dirty_cases.append(case)
            step = steps.get(case.pk)
            if step is not None and step.started_at is not None:
                step_before = tuple(getattr(step, f) for f in step_fields)
                step.due_at = case_clock.step_due_at(
                    table,
                    started_on=case_clock.local_date(step.started_at),
                    limit_days=step.limit_days,
                    paused_working_days=step.paused_working_days,
                    extension_days=step.extension_days,
                    certificate=step.kind == ProcessStep.Kind.CERTIFY,
                )
                _set_step_warn_at(table, case, step, now=now, thresholds=thresholds[key])
                if tuple(getattr(step, f) for f in step_fields) != step_before:
                    dirty_steps.append(step)
                    row_changed = True
            changed += row_changed
        if dirty_cases:
            Case.objects.bulk_update(dirty_cases, case_fields)
        if dirty_steps:
            CaseStep.objects.bulk_update(dirty_steps, step_fields)
    if changed:
        audit.record(
            action="case.recompute_deadlines",
            object_type="cases.case",
            after={"changed": changed, "center_id": center_id, "case_ids": len(wanted) if wanted else None},
        )
    return changed


def _recompute_after_calendar_change(year: Any) -> None:
    """Hook for `onewindow.calendar.services.register_year_changed`."""
    case_recompute_deadlines()


@transaction.atomic
def case_reveal_applicant(*, case: Case | str, actor: Any, reason: str) -> dict[str, str]:
    """The applicant's and agent's full ID numbers and phones, for someone who needs them; the
    viewing is written to the audit trail with the reason."""
    if not _has_perm(actor, "cases.view_case"):
        raise PermissionDenied(_("You need the permission %(perm)s.") % {"perm": "cases.view_case"})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Say why you need the full details."), details={"reason": [_("Required.")]})
    if isinstance(case, str):
        number = numbers.parse_case_number(case)
        found = (
            Case.objects.filter(number=number).first() or Case.objects.filter(receipt_number=number).first()
        )
        if found is None:
            raise NotFound(_("No such case."))
        case = found
    if not _sees_case(actor, case):
        raise PermissionDenied(_("This case is outside your data scope."))
    audit.record(
        action="case.reveal_applicant",
        obj=case,
        after={
            "reason": reason[:500],
            "fields": ["applicant_id_number", "applicant_phone", "agent_id_number", "agent_phone"],
        },
        actor=actor,
    )
    return {
        "applicant_id_number": case.applicant_id_number,
        "applicant_phone": case.applicant_phone,
        "agent_id_number": case.agent_id_number,
        "agent_phone": case.agent_phone,
    }


@transaction.atomic
def case_file_add(
    *, case: Case, actor: Any, file: Any, case_material: CaseMaterial | None = None
) -> CaseFile:
    """Attach an uploaded file (pdf, jpg, png, ofd, doc(x), xls(x); at most 20 MB) to a case."""
    if not (_has_perm(actor, T.ACCEPT_CASE) or _has_perm(actor, T.HANDLE_STEP)):
        raise PermissionDenied(_("You cannot add files to cases."))
    if not _sees_case(actor, case):
        raise PermissionDenied(_("This case is outside your data scope."))
    name = PurePosixPath(str(getattr(file, "name", "") or "")).name
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    errors: dict[str, list[str]] = {}
    if ext not in ALLOWED_FILE_EXTENSIONS:
        errors["file"] = [_("Allowed file types: %(types)s.") % {"types": ", ".join(ALLOWED_FILE_EXTENSIONS)}]
    size = int(getattr(file, "size", 0) or 0)
    if size <= 0:
        errors.setdefault("file", []).append(_("The file is empty."))
    elif size > MAX_FILE_SIZE:
        errors.setdefault("file", []).append(_("The file is larger than 20 MB."))
    if case_material is not None and case_material.case_id != case.pk:
        errors["case_material"] = [_("This material belongs to another case.")]
    if errors:
        raise ValidationFailed(_("Check the file."), details=errors)
    row = CaseFile(
        case=case,
        case_material=case_material,
        original_name=name[:255],
        size=size,
        content_type=str(getattr(file, "content_type", "") or "")[:100],
        uploaded_at=clock.now(),
        uploaded_by=actor,
    )
    row.file.save(name, file, save=False)
    row.save()
    audit.record(action="case.file_add", obj=case, after={"file": row.file.name, "size": size}, actor=actor)
    return row


__all__ = [
    "ACTION_PARAMS",
    "Param",
    "can_handle_step",
    "case_act",
    "case_allowed_actions",
    "case_deem_accept_overdue",
    "case_deem_approve_overdue_steps",
    "case_file_add",
    "case_intake",
    "case_recompute_deadlines",
    "case_reveal_applicant",
    "case_submit_online",
]

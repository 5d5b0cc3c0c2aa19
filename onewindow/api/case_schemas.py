"""The schemas of the cases API (onewindow.api.cases): input, output, and one action schema per
action of the state table, built from `onewindow.cases.params.ACTION_PARAMS`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from ninja import Schema
from pydantic import Field, create_model

from onewindow.api.limits import MAX_INT, TEXT_MAX, Count, Id, column
from onewindow.cases import transitions as T
from onewindow.cases.material_models import CaseMaterial
from onewindow.cases.models import Case
from onewindow.cases.params import ACTION_HELP, ACTION_PARAMS, Param
from onewindow.catalog.models import ServiceItem
from onewindow.org.models import Center, Department, User

MAX_PAGE_SIZE = 100


# --- schemas: errors and input -----------------------------------------------------------------


class ErrorOut(Schema):
    code: str
    message: str
    details: object | None = None


class CaseApplicantIn(Schema):
    kind: str = Field(
        description="person | enterprise", examples=["person"], max_length=column(Case, "applicant_kind")
    )
    name: str = Field(examples=["张三"], max_length=column(Case, "applicant_name"))
    id_type: str = Field(
        description="resident_id | uscc | passport | hk_macao_permit | other",
        examples=["resident_id"],
        max_length=column(Case, "applicant_id_type"),
    )
    id_number: str = Field(
        description="Checked: resident ID and USCC check characters.",
        max_length=column(Case, "applicant_id_number"),
    )
    phone: str = Field(
        description="Mainland mobile number.",
        examples=["13812345678"],
        max_length=column(Case, "applicant_phone"),
    )
    address: str = Field("", max_length=column(Case, "applicant_address"))
    legal_rep_name: str = Field(
        default="",
        description="Legal representative (法定代表人); required for an enterprise.",
        max_length=column(Case, "legal_rep_name"),
    )
    legal_rep_id_number: str = Field(
        default="",
        description="Optional; the representative's resident ID.",
        max_length=column(Case, "legal_rep_id_number"),
    )


class CaseAgentIn(Schema):
    name: str = Field(max_length=column(Case, "agent_name"))
    id_type: str = Field("resident_id", max_length=column(Case, "applicant_id_type"))
    id_number: str = Field(max_length=column(Case, "agent_id_number"))
    phone: str = Field(max_length=column(Case, "agent_phone"))


class CaseMaterialIn(Schema):
    material: Id | Annotated[str, Field(max_length=column(CaseMaterial, "name"))] | None = Field(
        None, description="The id (or exact name) of one of the item's materials; empty for an extra one."
    )
    name: str | None = Field(
        None,
        description="The name of an extra material (not on the item's list).",
        max_length=column(CaseMaterial, "name"),
    )
    received: bool = True
    form: str = Field(
        "",
        description="original | copy | original_and_copy | electronic",
        max_length=column(CaseMaterial, "form"),
    )
    copies: int = Field(1, ge=-MAX_INT, le=MAX_INT)
    note: str = Field("", max_length=column(CaseMaterial, "note"))


class CaseCorrectionItemIn(Schema):
    material: Id | Annotated[str, Field(max_length=column(CaseMaterial, "name"))] = Field(
        description="The id (or exact name) of one of the item's materials."
    )
    note: str = Field(description="What is missing or wrong.", max_length=column(CaseMaterial, "note"))


class IntakeIn(Schema):
    item_code: str = Field(examples=["SC001"], max_length=column(ServiceItem, "code"))
    center: str | None = Field(
        None, description="Center code; default: the caller's center.", max_length=column(Center, "code")
    )
    applicant: CaseApplicantIn
    agent: CaseAgentIn | None = Field(
        None, description="代办: the agent's details (needed for channel agent)."
    )
    channel: str = Field(
        "window",
        description="window | online | appointment | agent | mail",
        max_length=column(Case, "channel"),
    )
    materials: list[CaseMaterialIn] = Field(default_factory=list, description="The materials checked.")
    action: str = Field(
        description="accept (受理) | correct (补正: one-time notice) | refuse (不予受理, note = reason)",
        examples=["accept"],
        max_length=20,
    )
    note: str = Field(
        "",
        description="Refusal reason; or why a case is accepted with a material missing.",
        max_length=TEXT_MAX,
    )
    correction_items: list[CaseCorrectionItemIn] = Field(
        default_factory=list, description="For action correct: everything to correct, in one go."
    )
    green_channel: bool = False
    green_channel_handler: str | None = Field(
        None,
        description="Username of the named handler of a green channel case.",
        max_length=column(User, "username"),
    )
    delivery_method: str = Field(
        "pickup", description="pickup | mail", max_length=column(Case, "delivery_method")
    )


# --- schemas: output -------------------------------------------------------------------------


class CaseRefOut(Schema):
    code: str
    name: str


class CaseItemOut(Schema):
    code: str
    name: str
    version: int


class CaseApplicantOut(Schema):
    kind: str
    name: str
    id_type: str
    id_number: str = Field(description="Masked, e.g. 110***********1234.")
    phone: str = Field(description="Masked, e.g. 138****5678.")
    address: str
    legal_rep_name: str = Field(default="", description="An enterprise's legal representative (法定代表人).")
    legal_rep_id_number: str = Field(default="", description="Masked.")


class CaseDeliveryOut(Schema):
    method: str = Field(description="pickup | mail")
    recipient_name: str
    recipient_id_number: str = Field(description="Masked.")
    recipient_relation: str = Field(description="self | legal_representative | authorised_agent | other")
    carrier: str
    tracking_number: str
    delivered_at: dt.datetime


class CaseAgentOut(Schema):
    name: str
    id_number: str
    phone: str


class IntakeOut(Schema):
    number: str | None = Field(description="The case number; null unless accepted.")
    receipt_number: str
    status: str
    version: int
    due_at: dt.datetime | None = Field(
        description="Promised deadline (local time with offset); null unless accepted."
    )
    notice_url: str | None = Field(description="The printable notice (acceptance, correction or refusal).")
    url: str = Field(description="This case in the API.")


class CaseStepRefOut(Schema):
    position: int
    name: str
    due_at: dt.datetime | None


class CaseActionOut(Schema):
    number: str | None
    receipt_number: str
    status: str
    status_label: str
    version: int
    decision: str
    due_at: dt.datetime | None
    active_step: CaseStepRefOut | None


class CaseStepOut(Schema):
    position: int
    name: str
    kind: str
    status: str
    post: str
    limit_days: int
    on_site: bool
    started_at: dt.datetime | None
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    handler: str | None
    opinion: str
    result: str


class CaseFileOut(Schema):
    id: int
    name: str
    size: int
    content_type: str
    material: int | None = Field(description="The case material id.")
    uploaded_at: dt.datetime
    download_url: str


class CaseMaterialOut(Schema):
    id: int
    material: int | None = Field(description="The catalog material id; null for an extra material.")
    name: str
    received: bool
    form: str
    copies: int
    note: str
    files: list[CaseFileOut]


class CaseEventOut(Schema):
    seq: int
    at: dt.datetime
    action: str
    from_status: str
    to_status: str
    actor: str
    step: str | None
    opinion: str
    data: dict[str, Any]


class CaseNoticeOut(Schema):
    number: str
    kind: str
    issued_at: dt.datetime
    url: str


class CaseClockEventOut(Schema):
    kind: str
    on: dt.date
    until: dt.date | None
    days: int
    detail: str


class CaseStepClockOut(Schema):
    position: int
    name: str
    limit: int
    started_on: dt.date
    days_used: int
    days_paused: int
    extension_days: int
    days_left: int
    due_at: dt.datetime
    confirmed: bool
    overdue: bool


class CaseClockOut(Schema):
    limit: int
    legal_limit: int
    accepted_on: dt.date
    days_used: int
    days_paused: int
    extension_days: int
    days_left: int
    due_at: dt.datetime
    legal_due_at: dt.datetime
    confirmed: bool
    running: bool
    paused: bool
    overdue: bool
    events: list[CaseClockEventOut]
    step: CaseStepClockOut | None


class CaseOccasionOut(Schema):
    """A service occasion of the case (issue 15) and its evaluation state."""

    kind: str = Field(description="submitted | accepted | completed | window_visit")
    at: dt.datetime
    evaluated: bool
    level: str | None = Field(description="the evaluation's level, null when not evaluated")
    evaluation_link: str | None = Field(
        description="the public evaluation page (the QR code's address), for staff who accept or deliver"
    )


class CaseDetailOut(Schema):
    number: str | None
    receipt_number: str
    status: str
    status_label: str
    version: int
    channel: str
    center: CaseRefOut
    department: CaseRefOut
    item: CaseItemOut
    applicant: CaseApplicantOut
    agent: CaseAgentOut | None
    green_channel: bool
    green_channel_handler: str | None
    green_channel_reason: str = ""
    delivery_method: str
    tracking_number: str
    delivery: CaseDeliveryOut | None = Field(None, description="How the result left (送达), once delivered.")
    received_at: dt.datetime | None
    accepted_at: dt.datetime | None
    accepted_on: dt.date | None
    due_at: dt.datetime | None
    legal_due_at: dt.datetime | None
    decided_at: dt.datetime | None
    decision: str
    completed_at: dt.datetime | None
    delivered_at: dt.datetime | None
    closed_at: dt.datetime | None
    correction_count: int
    deemed_accepted: bool
    is_instant: bool
    active_step_position: int | None
    steps: list[CaseStepOut]
    materials: list[CaseMaterialOut]
    events: list[CaseEventOut]
    notices: list[CaseNoticeOut]
    clock: CaseClockOut | None
    allowed_actions: list[str] = Field(description="The actions the caller can perform now.")
    occasions: list[CaseOccasionOut] = Field(
        default_factory=list, description="The service occasions (服务次数) and their evaluation state."
    )


class CaseListItemOut(Schema):
    number: str | None
    receipt_number: str
    status: str
    status_label: str
    item: CaseRefOut
    department: CaseRefOut
    applicant: CaseApplicantOut
    channel: str
    green_channel: bool
    received_at: dt.datetime | None
    accepted_on: dt.date | None
    due_at: dt.datetime | None
    overdue: bool
    url: str


class CaseListOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[CaseListItemOut]


class CaseFilter(Schema):
    status: str | None = Field(
        None, description="One status, or several separated by commas.", max_length=400
    )
    item: str | None = Field(None, description="Service item code.", max_length=column(ServiceItem, "code"))
    department: str | None = Field(
        None, description="Department code (narrows the data scope).", max_length=column(Department, "code")
    )
    overdue: bool | None = Field(None, description="true: open and past the deadline.")
    q: str | None = Field(
        None, description="Case or receipt number, whole or its beginning.", max_length=column(Case, "number")
    )
    page: int = Field(1, ge=1, le=MAX_INT // MAX_PAGE_SIZE)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class WorklistFilter(Schema):
    scope: Literal["post", "mine", "department"] = Field(
        "post",
        description="post: the steps you can handle; mine: assigned to you or green channel cases you "
        "follow; department: every active step in your data scope.",
    )
    overdue: bool | None = None
    limit: int = Field(100, ge=1, le=500)


class WorklistItemOut(Schema):
    number: str
    item: CaseRefOut
    step: CaseStepRefOut
    status: str
    green_channel: bool
    days_left: int | None = Field(description="Working days after today up to the step's due date.")
    overdue: bool
    case_due_at: dt.datetime | None
    url: str


# --- the action schemas, built from ACTION_PARAMS -------------------------------------------


def _permission_of(action: str) -> str | None:
    for (_status, name), transition in T.TABLE.items():
        if name == action:
            return transition.permission
    return None


def _param_field(param: Param) -> tuple[Any, Any]:
    kind: Any
    if param.kind == "int":
        kind = Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)]
    elif param.kind == "items":
        kind = list[CaseCorrectionItemIn]
    elif param.kind == "materials":
        kind = list[Id | Annotated[str, Field(max_length=column(CaseMaterial, "name"))]]
    elif param.choices:
        kind = Literal[param.choices]  # type: ignore[valid-type]
    else:
        kind = Annotated[str, Field(max_length=param.max_length)]
    description = param.help + (" (required)" if param.required else "")
    if param.required:
        return kind, Field(..., description=description)
    return kind | None, Field(None, description=description)


def _camel(action: str) -> str:
    return "".join(part.capitalize() for part in action.split("_")) + "Action"


def _action_models() -> list[type[Schema]]:
    models: list[type[Schema]] = []
    for action in T.ACTIONS:
        permission = _permission_of(action)
        doc = ACTION_HELP.get(action, action) + (
            f" Permission: {permission}." if permission else " System only."
        )
        fields: dict[str, Any] = {
            "action": (Literal[action], Field(..., description="The action.")),  # type: ignore[valid-type]
            "version": (
                Count,
                Field(..., description="The case version you saw (stale → 409 conflict)."),
            ),
        }
        for param in ACTION_PARAMS.get(action, ()):
            fields[param.name] = _param_field(param)
        models.append(create_model(_camel(action), __base__=Schema, __doc__=doc, **fields))
    return models


ACTION_MODELS = _action_models()
if TYPE_CHECKING:
    ActionIn = Any
else:  # one schema per action, told apart by "action" (OpenAPI: oneOf with a discriminator)
    ActionIn = Annotated[Union[tuple(ACTION_MODELS)], Field(discriminator="action")]  # noqa: UP007

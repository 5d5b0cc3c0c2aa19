"""The schemas of the bundle cases API (onewindow.api.bundles): intake, detail, list, one action
schema per action of `approvals.transitions.TABLE` (the parameter contract shared by the web
pages, the API and the services), and the public view of a bundle (onewindow.api.public)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from ninja import Schema
from pydantic import ConfigDict, Field, create_model

from onewindow.api.case_schemas import CaseApplicantIn, CaseApplicantOut, CaseRefOut
from onewindow.api.limits import MAX_INT, TEXT_MAX, Count, column
from onewindow.approvals import transitions as T
from onewindow.approvals.models import BundleCase, BundleSubCase
from onewindow.cases.delivery_models import CaseDelivery
from onewindow.catalog.models import Bundle
from onewindow.org.models import Window

MAX_PAGE_SIZE = 100
MAX_LIST = 100  # answers, form fields, materials, correction entries in one request
MATERIAL_NAME_MAX = 200
KEY_MAX = 100
VALUE_MAX = 500

MaterialRef = Annotated[int, Field(ge=0, le=MAX_INT)] | Annotated[str, Field(max_length=MATERIAL_NAME_MAX)]
FormValue = (
    Annotated[str, Field(max_length=VALUE_MAX)] | Annotated[int, Field(ge=-MAX_INT, le=MAX_INT)] | bool
)


class BundleCorrectionItemIn(Schema):
    name: str = Field(description="The material to bring or correct.", max_length=MATERIAL_NAME_MAX)
    note: str = Field("", description="What is missing or wrong.", max_length=VALUE_MAX)
    item_code: str | None = Field(
        None, description="The item that needs it (optional).", max_length=column(BundleSubCase, "item_code")
    )


INTAKE_EXAMPLE: dict[str, Any] = {
    "bundle_code": "QYKB",
    "answers": {},
    "applicant": {
        "kind": "enterprise",
        "name": "示范市星河科技有限公司",
        "id_type": "uscc",
        "id_number": "91350100M000100Y43",
        "phone": "13800138000",
        "legal_rep_name": "张三",
    },
    "form": {"company_name": "星河科技"},
    "materials": [1, "身份证明"],
    "action": "accept",
}


class BundleIntakeIn(Schema):
    model_config = ConfigDict(json_schema_extra={"examples": [INTAKE_EXAMPLE]})

    bundle_code: str = Field(examples=["QYKB"], max_length=column(Bundle, "code"))
    answers: dict[Annotated[str, Field(max_length=KEY_MAX)], FormValue] = Field(
        default_factory=dict,
        description="情形引导: the answers to the bundle's questions, by question key.",
        max_length=MAX_LIST,
    )
    applicant: CaseApplicantIn
    form: dict[Annotated[str, Field(max_length=KEY_MAX)], FormValue] = Field(
        default_factory=dict, description="一表制: the bundle's fields, by key.", max_length=MAX_LIST
    )
    materials: list[MaterialRef] = Field(
        default_factory=list,
        description="The bundle's materials handed in: their positions or names (each once).",
        max_length=MAX_LIST,
    )
    action: Literal["accept", "correct", "refuse"] = Field(
        description="accept (受理: the first phase's sub-cases open) | correct (one merged one-time "
        "notice of `correction_items`) | refuse (不予受理, `note` is the reason)",
        examples=["accept"],
    )
    note: str = Field(
        "",
        description="Refusal reason; or why the bundle is accepted with a required material missing.",
        max_length=TEXT_MAX,
    )
    correction_items: list[BundleCorrectionItemIn] = Field(
        default_factory=list,
        description="For action correct: everything to correct, in one go.",
        max_length=50,
    )
    delivery_method: str = Field(
        "pickup", description="pickup | mail", max_length=column(BundleCase, "delivery_method")
    )
    window: str | None = Field(
        None,
        description="The window's code; default: the caller's window.",
        max_length=column(Window, "code"),
    )


# --- output ------------------------------------------------------------------------------------


class BundleSubCaseRefOut(Schema):
    number: str | None = Field(description="The sub-case's case number; null until its phase opens.")
    item_code: str
    item_name: str
    department_code: str
    due_at: dt.datetime | None
    status: str = Field(description="The sub-case's status; empty until its phase opens.")


class BundleIntakeOut(Schema):
    number: str
    status: str
    version: int
    due_at: dt.datetime | None = Field(description="The joint due time; null unless accepted.")
    legal_due_at: dt.datetime | None = Field(description="The legal joint limit (45 working days).")
    url: str = Field(description="This bundle case in the API.")
    sub_cases: list[BundleSubCaseRefOut]


class BundlePhaseOut(Schema):
    position: int
    name: str
    status: str = Field(description="waiting | open | done")
    promised_limit: int | None
    merge_with_previous: bool
    opened_at: dt.datetime | None
    due_at: dt.datetime | None
    done_at: dt.datetime | None


class BundleSubCaseOut(Schema):
    number: str | None
    item: CaseRefOut
    department: CaseRefOut
    phase: str
    required: bool
    status: str
    status_label: str
    due_at: dt.datetime | None
    decided_at: dt.datetime | None
    outcome: str = Field(
        description="granted | deemed | denied | refused | withdrawn | terminated, or empty."
    )
    url: str | None = Field(description="The sub-case in the cases API.")


class BundleEventOut(Schema):
    seq: int
    at: dt.datetime
    action: str
    from_status: str
    to_status: str
    actor: str
    public: bool
    data: dict[str, Any]


class BundleNoticeOut(Schema):
    number: str
    kind: str
    issued_at: dt.datetime


class BundleCaseDetailOut(Schema):
    number: str
    bundle: CaseRefOut
    center: CaseRefOut
    lead_department: CaseRefOut
    status: str
    status_label: str
    version: int
    channel: str
    applicant: CaseApplicantOut
    answers: dict[str, Any]
    form: dict[str, Any]
    materials: list[dict[str, Any]]
    delivery_method: str
    tracking_number: str
    received_at: dt.datetime
    accepted_at: dt.datetime | None
    accepted_on: dt.date | None
    promised_limit: int
    legal_limit: int
    paused_working_days: int
    extension_days: int
    due_at: dt.datetime | None
    legal_due_at: dt.datetime | None
    level: int
    correction_count: int
    decided_at: dt.datetime | None
    delivered_at: dt.datetime | None
    phases: list[BundlePhaseOut]
    sub_cases: list[BundleSubCaseOut]
    events: list[BundleEventOut]
    notices: list[BundleNoticeOut]
    allowed_actions: list[str] = Field(description="The bundle actions the caller can perform now.")


class BundleListItemOut(Schema):
    number: str
    bundle: CaseRefOut
    lead_department: CaseRefOut
    status: str
    status_label: str
    applicant: CaseApplicantOut
    received_at: dt.datetime
    accepted_on: dt.date | None
    due_at: dt.datetime | None
    overdue: bool
    sub_case_count: int
    url: str


class BundleListOut(Schema):
    count: int
    page: int
    page_size: int
    items: list[BundleListItemOut]


class BundleFilter(Schema):
    status: str | None = Field(
        None, description="One status, or several separated by commas.", max_length=400
    )
    bundle: str | None = Field(None, description="Bundle code.", max_length=column(Bundle, "code"))
    page: int = Field(1, ge=1, le=MAX_INT // MAX_PAGE_SIZE)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class BundleActionOut(Schema):
    number: str
    status: str
    status_label: str
    version: int
    due_at: dt.datetime | None
    legal_due_at: dt.datetime | None
    sub_cases: list[BundleSubCaseRefOut]


# --- the action schemas: the parameter contract of approvals.services.bundle_case_act ----------

_NOTE = Annotated[str, Field(max_length=TEXT_MAX)]


def _delivery(name: str) -> Any:
    """An optional delivery parameter as long as its CaseDelivery column."""
    return Annotated[str, Field(max_length=column(CaseDelivery, name))] | None


ACTION_PARAMS: dict[str, dict[str, tuple[Any, Any]]] = {
    T.ACCEPT: {
        "materials": (
            list[MaterialRef],
            Field(default_factory=list, description="The materials now received.", max_length=MAX_LIST),
        ),
        "note": (_NOTE, Field("", description="Why a required material may still be missing.")),
    },
    T.REFUSE: {"reason": (_NOTE, Field(..., description="The reason (required)."))},
    T.REQUEST_CORRECTION: {
        "items": (
            list[BundleCorrectionItemIn],
            Field(..., min_length=1, max_length=50, description="Everything to correct (required)."),
        )
    },
    T.RECEIVE_CORRECTION: {
        "materials": (
            list[MaterialRef],
            Field(default_factory=list, description="The corrected materials received.", max_length=MAX_LIST),
        ),
        "note": (_NOTE, Field("")),
    },
    T.REQUEST_EXTENSION: {
        "days": (
            Annotated[int, Field(ge=1, le=MAX_INT)],
            Field(..., description="Working days (the law allows 15 once)."),
        ),
        "reason": (_NOTE, Field(..., description="Why (required).")),
    },
    T.APPROVE_EXTENSION: {"note": (_NOTE, Field(""))},
    T.REJECT_EXTENSION: {"note": (_NOTE, Field(..., description="Why (required)."))},
    T.DELIVER: {
        "method": (
            Literal["pickup", "mail"] | None,
            Field(None, description="Default: as chosen at intake."),
        ),
        "recipient_relation": (
            _delivery("recipient_relation"),
            Field(None, description="self | legal_representative | authorised_agent | other"),
        ),
        "recipient_name": (_delivery("recipient_name"), Field(None)),
        "recipient_id_number": (_delivery("recipient_id_number"), Field(None)),
        "carrier": (_delivery("carrier"), Field(None)),
        "tracking_number": (_delivery("tracking_number"), Field(None)),
        "note": (_NOTE | None, Field(None)),
    },
}

ACTION_HELP = {
    T.ACCEPT: "受理 after the merged correction at intake: tick the materials that came.",
    T.REFUSE: "不予受理 after the correction at intake.",
    T.REQUEST_CORRECTION: "A department asks for materials: one merged notice, the joint clock pauses once.",
    T.RECEIVE_CORRECTION: "The corrected materials came: every paused sub-case resumes together.",
    T.REQUEST_EXTENSION: "Ask to extend the joint limit (once, by at most 15 working days).",
    T.APPROVE_EXTENSION: "The government's head approves the extension.",
    T.REJECT_EXTENSION: "The government's head rejects the extension.",
    T.DELIVER: "统一送达: every result handed out (or mailed) together; one service receipt.",
}


def _camel(action: str) -> str:
    return "Bundle" + "".join(part.capitalize() for part in action.split("_")) + "Action"


def _permission_of(action: str) -> str:
    return next(perm for (_status, name), (_target, perm) in T.TABLE.items() if name == action)


def _action_models() -> list[type[Schema]]:
    models: list[type[Schema]] = []
    for action in T.ACTIONS:
        fields: dict[str, Any] = {
            "action": (Literal[action], Field(..., description="The action.")),  # type: ignore[valid-type]
            "version": (Count, Field(..., description="The bundle case version you saw (stale → 409).")),
            **ACTION_PARAMS.get(action, {}),
        }
        doc = f"{ACTION_HELP.get(action, action)} Permission: {_permission_of(action)}."
        models.append(create_model(_camel(action), __base__=Schema, __doc__=doc, **fields))
    return models


ACTION_MODELS = _action_models()
if TYPE_CHECKING:
    BundleActionIn = Any
else:  # one schema per action, told apart by "action" (OpenAPI: oneOf with a discriminator)
    BundleActionIn = Annotated[Union[tuple(ACTION_MODELS)], Field(discriminator="action")]  # noqa: UP007


# --- the public view (GET /api/v1/public/progress with a bundle number) -------------------------


class PublicBundleEventOut(Schema):
    at: dt.datetime
    action: str
    label: str
    status: str


class PublicBundlePhaseOut(Schema):
    position: int
    name: str
    status: str
    status_label: str
    due_date: dt.date | None


class PublicBundleSubCaseOut(Schema):
    number: str
    item_code: str
    item_name: str
    department: str
    phase: str
    status: str
    status_label: str
    due_date: dt.date | None
    decided_on: dt.date | None
    outcome: str
    outcome_label: str
    denial_reason: str = Field(description="The reasons of a denial (with the rights to appeal).")
    events: list[PublicBundleEventOut]


class PublicBundleCorrectionOut(Schema):
    name: str
    note: str
    item_code: str


class PublicBundleProgressOut(Schema):
    kind: Literal["bundle"] = Field(description="Tells a bundle (一件事) from a single case.")
    number: str
    bundle_name: str
    applicant: str = Field(description="Masked.")
    status: str
    status_label: str
    received_on: dt.date | None
    accepted_on: dt.date | None
    due_date: dt.date | None = Field(description="The joint due date.")
    decided_on: dt.date | None
    delivered_on: dt.date | None
    phases: list[PublicBundlePhaseOut]
    sub_cases: list[PublicBundleSubCaseOut]
    corrections: list[PublicBundleCorrectionOut]
    events: list[PublicBundleEventOut]

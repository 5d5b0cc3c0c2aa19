"""Catalog API (public: the service guide is public information). Published versions only.

GET /api/v1/items[?center=&department=&handling_type=&theme=&q=&limit=&offset=]
                                   → {count, limit, offset, items: [item summary]}
GET /api/v1/items/{code}[?center=] → the published item: the 八公开 fields, materials, steps
GET /api/v1/bundles[?center=]      → [bundle summary]
GET /api/v1/bundles/{code}[?center=] → phases, items, single-form fields with mappings, materials

Unknown filter values give 422 {"code": "unknown_filter", "details": {filter: [message]}};
an unknown code gives 404 {"code": "not_found", ...}.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from onewindow.api.limits import MAX_OFFSET, column
from onewindow.catalog import selectors
from onewindow.catalog.models import Bundle, ServiceItemVersion, Theme
from onewindow.org.models import Center, Department

router = Router(auth=None)

MAX_LIMIT = 200


class ErrorOut(Schema):
    code: str
    message: str
    details: object | None = None


class ItemSummaryOut(Schema):
    code: str
    name: str
    kind: str
    center_code: str
    department_code: str
    department_name: str
    handling_type: str = Field(description="instant | promised | reported | joint")
    legal_limit: int = Field(description="Working days.")
    promised_limit: int = Field(description="Working days.")
    compression: float | None = Field(description="1 − promised ÷ legal; null when the legal limit is 0.")
    version: int
    online_allowed: bool
    appointment_allowed: bool
    visits_required: int
    green_channel_eligible: bool
    deemed_approval_days: int | None
    themes: list[str]


class ItemPageOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ItemSummaryOut]


class MaterialOut(Schema):
    position: int
    name: str
    requirement: str = Field(description="required | conditional")
    condition: str
    form: str = Field(description="original | copy | original_and_copy | electronic")
    copies: int
    shared_result_item_code: str
    note: str
    has_template: bool
    has_sample: bool


class StepOut(Schema):
    position: int
    name: str
    kind: str
    post_code: str
    post_name: str
    limit_days: int
    on_site: bool


class ItemDetailOut(ItemSummaryOut):
    window_code: str | None
    legal_basis: str
    conditions: str
    procedure: str
    fees: str
    fee_basis: str
    contact: str
    handled_at_center: bool
    decided_at_window: bool
    valid_from: dt.date | None
    valid_to: dt.date | None
    published_at: dt.datetime | None
    materials: list[MaterialOut]
    steps: list[StepOut]


class BundleSummaryOut(Schema):
    code: str
    name: str
    description: str
    center_code: str
    lead_department_code: str
    lead_department_name: str
    promised_limit: int
    item_count: int


class PhaseOut(Schema):
    position: int
    name: str
    promised_limit: int | None
    merge_with_previous: bool = Field(
        description="The phase opens together with the phase before (e.g. land sold with its design)."
    )


class BundleItemOut(Schema):
    item_code: str
    name: str | None = Field(description="Of the published version; null when the item is not published.")
    department_code: str | None
    department_name: str | None
    handling_type: str | None
    legal_limit: int | None
    promised_limit: int | None
    phase: str | None


class MappingOut(Schema):
    item_code: str
    target: str


class BundleFieldOut(Schema):
    key: str
    label: str
    field_type: str
    required: bool
    choices: list[str]
    mappings: list[MappingOut]


class BundleMaterialOut(Schema):
    position: int
    name: str
    requirement: str
    form: str
    copies: int
    item_codes: list[str]


class BundleDetailOut(BundleSummaryOut):
    phases: list[PhaseOut]
    items: list[BundleItemOut]
    fields: list[BundleFieldOut]
    materials: list[BundleMaterialOut]


class ItemFilter(Schema):
    center: str | None = Field(None, description="Center code.", max_length=column(Center, "code"))
    department: str | None = Field(
        None, description="Department code.", max_length=column(Department, "code")
    )
    handling_type: str | None = Field(
        None,
        description="instant | promised | reported | joint",
        max_length=column(ServiceItemVersion, "handling_type"),
    )
    theme: str | None = Field(None, description="Theme code.", max_length=column(Theme, "code"))
    q: str | None = Field(None, max_length=100, description="Search words (Chinese-aware).")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class CenterFilter(Schema):
    center: str | None = Field(None, description="Center code.", max_length=column(Center, "code"))


def _summary_fields(v: ServiceItemVersion) -> dict:
    return {
        "code": v.item.code,
        "name": v.name,
        "kind": v.kind,
        "center_code": v.item.center.code,
        "department_code": v.department.code,
        "department_name": v.department.name,
        "handling_type": v.handling_type,
        "legal_limit": v.legal_limit,
        "promised_limit": v.promised_limit,
        "compression": v.compression,
        "version": v.number,
        "online_allowed": v.online_allowed,
        "appointment_allowed": v.appointment_allowed,
        "visits_required": v.visits_required,
        "green_channel_eligible": v.green_channel_eligible,
        "deemed_approval_days": v.deemed_approval_days,
        "themes": [t.code for t in v.themes.all()],
    }


@router.get("/items", response={200: ItemPageOut, 422: ErrorOut})
def list_items(request: HttpRequest, filters: Query[ItemFilter]) -> ItemPageOut:
    """Published service items, ordered by department then code, `limit` per page."""
    qs = selectors.published_items(
        center=filters.center or None,
        department_code=filters.department or None,
        theme_code=filters.theme or None,
        handling_type=filters.handling_type or None,
        q=filters.q or None,
    )
    count = qs.count()
    page = qs.prefetch_related("themes")[filters.offset : filters.offset + filters.limit]
    return ItemPageOut(
        count=count,
        limit=filters.limit,
        offset=filters.offset,
        items=[ItemSummaryOut(**_summary_fields(v)) for v in page],
    )


@router.get("/items/{code}", response={200: ItemDetailOut, 404: ErrorOut, 422: ErrorOut})
def get_item(request: HttpRequest, code: str, filters: Query[CenterFilter]) -> ItemDetailOut:
    """Everything the applicant needs about one published item (八公开)."""
    v = selectors.item_by_code(code, center=filters.center or None)
    return ItemDetailOut(
        **_summary_fields(v),
        window_code=v.window.code if v.window else None,
        legal_basis=v.legal_basis,
        conditions=v.conditions,
        procedure=v.procedure,
        fees=v.fees,
        fee_basis=v.fee_basis,
        contact=v.contact,
        handled_at_center=v.handled_at_center,
        decided_at_window=v.decided_at_window,
        valid_from=v.valid_from,
        valid_to=v.valid_to,
        published_at=v.published_at,
        materials=[
            MaterialOut(
                position=m.position,
                name=m.name,
                requirement=m.requirement,
                condition=m.condition,
                form=m.form,
                copies=m.copies,
                shared_result_item_code=m.shared_result_item_code,
                note=m.note,
                has_template=bool(m.template_file),
                has_sample=bool(m.sample_file),
            )
            for m in v.materials.all()
        ],
        steps=[
            StepOut(
                position=s.position,
                name=s.name,
                kind=s.kind,
                post_code=s.post.code,
                post_name=s.post.name,
                limit_days=s.limit_days,
                on_site=s.on_site,
            )
            for s in v.steps.all()
        ],
    )


def _bundle_summary(b: Bundle, item_count: int) -> dict:
    return {
        "code": b.code,
        "name": b.name,
        "description": b.description,
        "center_code": b.center.code,
        "lead_department_code": b.lead_department.code,
        "lead_department_name": b.lead_department.name,
        "promised_limit": b.promised_limit,
        "item_count": item_count,
    }


@router.get("/bundles", response={200: list[BundleSummaryOut], 422: ErrorOut})
def list_bundles(request: HttpRequest, filters: Query[CenterFilter]) -> list[BundleSummaryOut]:
    """Active bundles (一件事), ordered by center and code."""
    return [
        BundleSummaryOut(**_bundle_summary(b, b.item_count))  # type: ignore[attr-defined]
        for b in selectors.bundles(center=filters.center or None)
    ]


@router.get("/bundles/{code}", response={200: BundleDetailOut, 404: ErrorOut, 422: ErrorOut})
def get_bundle(
    request: HttpRequest, code: Annotated[str, "Bundle code"], filters: Query[CenterFilter]
) -> BundleDetailOut:
    """One bundle: its phases, items, single-form fields with their mappings, and materials."""
    b = selectors.bundle_by_code(code, center=filters.center or None)
    bundle_items = list(b.bundle_items.all())
    items = []
    for bi in bundle_items:
        v = bi.item.published_version
        items.append(
            BundleItemOut(
                item_code=bi.item.code,
                name=v.name if v else None,
                department_code=v.department.code if v else None,
                department_name=v.department.name if v else None,
                handling_type=v.handling_type if v else None,
                legal_limit=v.legal_limit if v else None,
                promised_limit=v.promised_limit if v else None,
                phase=bi.phase.name if bi.phase else None,
            )
        )
    return BundleDetailOut(
        **_bundle_summary(b, len(bundle_items)),
        phases=[
            PhaseOut(
                position=p.position,
                name=p.name,
                promised_limit=p.promised_limit,
                merge_with_previous=p.merge_with_previous,
            )
            for p in b.phases.all()
        ],
        items=items,
        fields=[
            BundleFieldOut(
                key=f.key,
                label=f.label,
                field_type=f.field_type,
                required=f.required,
                choices=[c.strip() for c in f.choices.split("|") if c.strip()],
                mappings=sorted(
                    (MappingOut(item_code=m.item.code, target=m.target) for m in f.mappings.all()),
                    key=lambda m: m.item_code,
                ),
            )
            for f in b.fields.all()
        ],
        materials=[
            BundleMaterialOut(
                position=m.position,
                name=m.name,
                requirement=m.requirement,
                form=m.form,
                copies=m.copies,
                item_codes=sorted(i.code for i in m.items.all()),
            )
            for m in b.materials.all()
        ],
    )

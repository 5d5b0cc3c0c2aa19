from __future__ import annotations

import pytest

from onewindow.catalog import selectors, services
from onewindow.catalog.models import Material, ServiceItem, ServiceItemVersion, Theme
from onewindow.catalog.spec import item_spec as stored_spec
from onewindow.catalog.tests.conftest import bundle_spec, instant_spec, item_spec
from onewindow.core.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from onewindow.core.models import AuditEntry

pytestmark = pytest.mark.usefixtures("english")


def test_save_draft_creates_item_and_draft(org):
    admin = org.user("centeradmin")
    draft = services.item_save_draft(center=org.center, spec=item_spec(), actor=admin, change_note="首版")
    assert draft.status == ServiceItemVersion.Status.DRAFT
    assert draft.number == 1
    assert draft.item.code == "SC-001"
    assert draft.item.published_version is None
    assert [m.name for m in draft.materials.order_by("position")] == [
        "食品经营许可申请书",
        "营业执照",
        "场所使用证明",
    ]
    assert [(s.position, s.kind) for s in draft.steps.order_by("position")] == [
        (1, "accept"),
        (2, "review"),
        (3, "decide"),
    ]
    assert draft.created_by == admin
    assert "食品" in draft.search_text.split()
    entry = AuditEntry.objects.get(action="catalog.item.save_draft")
    assert entry.actor_id == admin.pk
    assert entry.after["code"] == "SC-001"


def test_save_draft_replaces_the_one_draft(org):
    first = services.item_save_draft(center=org.center, spec=item_spec())
    second = services.item_save_draft(
        center=org.center, spec=item_spec(name="食品经营许可(变更)", materials=[{"name": "申请书"}])
    )
    assert second.pk == first.pk
    assert ServiceItemVersion.objects.filter(item=first.item).count() == 1
    assert list(second.materials.values_list("name", flat=True)) == ["申请书"]
    assert Material.objects.filter(version__item=first.item).count() == 1


def test_save_draft_writes_nothing_on_error(org):
    with pytest.raises(ValidationFailed) as exc:
        services.item_save_draft(center=org.center, spec=item_spec(promised_limit=30))
    assert exc.value.details == {
        "promised_limit": [
            "Promised limit 30 exceeds the legal limit 20: "
            "the promised limit must not exceed the legal limit."
        ]
    }
    assert not ServiceItem.objects.exists()
    assert not AuditEntry.objects.exists()


def test_publish_supersede_and_immutability(org):
    admin = org.user("centeradmin")
    v1 = services.item_publish(
        version=services.item_save_draft(center=org.center, spec=item_spec()), actor=admin
    )
    v1.refresh_from_db()
    assert v1.status == ServiceItemVersion.Status.PUBLISHED
    assert v1.published_by == admin and v1.published_at is not None
    assert selectors.item_by_code("SC-001") == v1
    published_row = stored_spec(v1)

    # Editing = a new draft; the published version is untouched until the draft is published.
    v2 = services.item_save_draft(center=org.center, spec=item_spec(promised_limit=8, name="新名称"))
    assert v2.number == 2 and v2.pk != v1.pk
    v1.refresh_from_db()
    assert stored_spec(v1) == published_row
    assert selectors.item_by_code("SC-001").name == "食品经营许可"

    services.item_publish(version=v2, actor=admin)
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v1.status == ServiceItemVersion.Status.SUPERSEDED
    assert v2.status == ServiceItemVersion.Status.PUBLISHED
    assert v2.item.published_version_id == v2.pk
    # A case accepted under v1 points at v1, whose content never changed.
    assert stored_spec(v1) == published_row
    assert selectors.item_by_code("SC-001").name == "新名称"
    assert list(selectors.item_versions(v1.item)) == [v2, v1]

    with pytest.raises(InvalidTransition):
        services.item_publish(version=v1, actor=admin)
    with pytest.raises(InvalidTransition):
        services.item_discard_draft(version=v2, actor=admin)
    assert AuditEntry.objects.filter(action="catalog.item.publish").count() == 2


def test_publish_needs_the_permission(org):
    draft = services.item_save_draft(center=org.center, spec=item_spec())
    with pytest.raises(PermissionDenied):
        services.item_publish(version=draft, actor=org.user("scjg-reviewer"))
    draft.refresh_from_db()
    assert draft.status == ServiceItemVersion.Status.DRAFT
    with pytest.raises(PermissionDenied):
        services.item_save_draft(center=org.center, spec=item_spec(), actor=org.user("clerk"))


def test_publish_revalidates_the_draft(org):
    draft = services.item_save_draft(center=org.center, spec=item_spec())
    draft.steps.filter(kind="decide").delete()
    with pytest.raises(ValidationFailed) as exc:
        services.item_publish(version=draft)
    assert exc.value.details["steps"] == [
        "A promised or joint item needs exactly one decision step (kind decide); this one has 0."
    ]


def test_new_draft_from_published_and_discard(org):
    v1 = services.item_publish(version=services.item_save_draft(center=org.center, spec=item_spec()))
    draft = services.item_new_draft(item=v1.item)
    assert draft.number == 2
    assert stored_spec(draft) == stored_spec(v1)
    with pytest.raises(Conflict):
        services.item_new_draft(item=v1.item)
    services.item_discard_draft(version=draft)
    assert list(ServiceItemVersion.objects.filter(item=v1.item)) == [v1]
    # An item that was never published goes with its draft.
    only = services.item_save_draft(center=org.center, spec=instant_spec())
    services.item_discard_draft(version=only)
    assert not ServiceItem.objects.filter(code="SW-001").exists()


def test_theme_save(org):
    theme = services.theme_save(spec={"code": "QYKB", "name": "企业开办", "audience": "enterprise"})
    assert theme.audience == "enterprise"
    services.theme_save(spec={"code": "QYKB", "name": "企业开办服务", "audience": "enterprise"})
    assert Theme.objects.get(code="QYKB").name == "企业开办服务"
    with pytest.raises(ValidationFailed):
        services.theme_save(spec={"code": "", "name": "x"})


def test_bundle_save_create_and_replace(org):
    for spec in (item_spec(), instant_spec()):
        services.item_publish(version=services.item_save_draft(center=org.center, spec=spec))
    bundle = services.bundle_save(center=org.center, spec=bundle_spec())
    full = selectors.bundle_by_code("QYKB", center=org.center)
    assert [p.name for p in full.phases.all()] == ["登记", "税务"]
    assert [(bi.item.code, bi.phase.name) for bi in full.bundle_items.all()] == [
        ("SC-001", "登记"),
        ("SW-001", "税务"),
    ]
    assert [m.target for m in full.fields.all()[0].mappings.all()] == ["operator_name", "taxpayer_name"]
    assert sorted(i.code for i in full.materials.all()[0].items.all()) == ["SC-001", "SW-001"]
    again = services.bundle_save(
        center=org.center,
        spec=bundle_spec(
            phases=[],
            items=[{"item_code": "SC-001", "phase": None}, {"item_code": "SW-001", "phase": None}],
            promised_limit=4,
        ),
    )
    assert again.pk == bundle.pk
    full = selectors.bundle_by_code("QYKB", center=org.center)
    assert list(full.phases.all()) == []
    assert full.promised_limit == 4


def test_bundle_rules(org):
    services.item_publish(version=services.item_save_draft(center=org.center, spec=item_spec()))
    spec = bundle_spec(promised_limit=7)
    spec["items"].append({"item_code": "SC-001", "phase": "验收"})
    with pytest.raises(ValidationFailed) as exc:
        services.bundle_save(center=org.center, spec=spec)
    assert exc.value.details == {
        "phases": [
            "The phases add up to 8 working days, more than the bundle's promised limit 7: "
            "shorten the phases or raise the bundle's limit."
        ],
        "items.2.item_code": ["Unknown item SW-001: use the code of an existing item."],
        "items.3.item_code": ["Item SC-001 appears twice in the bundle: list each item once."],
        "items.3.phase": [
            "Unknown phase 验收: use the name of one of the bundle's phases, or leave it empty."
        ],
    }
    spec = bundle_spec()
    spec["fields"][0]["mappings"].append({"item_code": "XX-9", "target": "name"})
    spec["materials"][0]["item_codes"].append("XX-9")
    spec["items"] = spec["items"][:1]
    with pytest.raises(ValidationFailed) as exc:
        services.bundle_save(center=org.center, spec=spec)
    assert exc.value.details == {
        "fields.1.mappings.2.item_code": [
            "Field company_name maps to item SW-001, which is not in the bundle: add the item first."
        ],
        "fields.1.mappings.3.item_code": [
            "Field company_name maps to item XX-9, which is not in the bundle: add the item first."
        ],
        "materials.1.item_codes": [
            "Material 营业执照 serves item SW-001, which is not in the bundle.",
            "Material 营业执照 serves item XX-9, which is not in the bundle.",
        ],
    }


def test_import_specs_is_idempotent(org):
    themes = [{"code": "QYKB", "name": "企业开办", "audience": "enterprise"}]
    items = [item_spec(themes=["QYKB"]), instant_spec()]
    result = services.catalog_import_specs(
        center=org.center, themes=themes, items=items, bundles=[bundle_spec()]
    )
    assert (result.themes_created, result.items_created, result.bundles_created) == (1, 2, 1)
    assert selectors.item_by_code("SC-001").themes.get().code == "QYKB"

    again = services.catalog_import_specs(
        center=org.center, themes=themes, items=items, bundles=[bundle_spec()]
    )
    assert (again.themes_unchanged, again.items_unchanged, again.bundles_unchanged) == (1, 2, 1)
    assert not again.changed
    assert ServiceItemVersion.objects.count() == 2

    items[0] = item_spec(themes=["QYKB"], promised_limit=9)
    third = services.catalog_import_specs(center=org.center, themes=themes, items=items, bundles=[])
    assert (third.items_new_versions, third.items_unchanged) == (1, 1)
    assert selectors.item_by_code("SC-001").number == 2


def test_import_collects_every_error_and_writes_nothing(org):
    items = [
        item_spec(promised_limit=30),
        item_spec(code="SC-001", name="重复"),
        instant_spec(department_code="GA"),
    ]
    with pytest.raises(ValidationFailed) as exc:
        services.catalog_import_specs(
            center=org.center, themes=[], items=items, bundles=[bundle_spec(lead_department_code="GA")]
        )
    details = exc.value.details
    assert {
        "item": "SC-001",
        "index": 1,
        "field": "code",
        "message": "Code SC-001 is used by 2 items: codes must be unique within a center.",
    } in details
    assert {
        "item": "SC-001",
        "index": 0,
        "field": "promised_limit",
        "message": "Promised limit 30 exceeds the legal limit 20: "
        "the promised limit must not exceed the legal limit.",
    } in details
    assert {
        "item": "SW-001",
        "index": 2,
        "field": "department_code",
        "message": "Unknown department GA: use the code of a department of this center.",
    } in details
    assert {
        "bundle": "QYKB",
        "index": 0,
        "field": "lead_department_code",
        "message": "Unknown department GA: use the code of a department of this center.",
    } in details
    assert not ServiceItem.objects.exists()
    assert not AuditEntry.objects.exists()


def test_import_shared_result_item_may_be_in_the_same_import(org):
    first = item_spec(materials=[{"name": "税务登记证", "shared_result_item_code": "SW-001"}])
    result = services.catalog_import_specs(
        center=org.center, themes=[], items=[first, instant_spec()], bundles=[]
    )
    assert result.items_created == 2


def test_import_needs_permission(org):
    with pytest.raises(PermissionDenied):
        services.catalog_import_specs(
            center=org.center, themes=[], items=[item_spec()], bundles=[], actor=org.user("supervisor")
        )

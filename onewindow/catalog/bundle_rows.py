"""Writing a bundle's rows from its canonical, validated spec (`services.bundle_save` and the
catalog import call it inside their transaction): the bundle row is saved first, which moves its
`updated_at` (the key of `definitions`), then its parts are replaced."""

from __future__ import annotations

from typing import Any

from onewindow.catalog.models import (
    Bundle,
    BundleField,
    BundleFieldMapping,
    BundleItem,
    BundleMaterial,
    BundleOption,
    BundlePhase,
    BundleQuestion,
    ServiceItem,
)
from onewindow.catalog.spec import bundle_spec
from onewindow.core import audit
from onewindow.org.models import Center, Department, User


def write_bundle(center: Center, spec: dict[str, Any], actor: User | None) -> tuple[Bundle, str]:
    """Create or replace a bundle from a canonical, validated spec."""
    bundle = Bundle.objects.select_for_update().filter(center=center, code=spec["code"]).first()
    if bundle is not None and bundle_spec(bundle) == spec:
        return bundle, "unchanged"
    before = bundle_spec(bundle) if bundle else None
    outcome = "updated" if bundle else "created"
    lead = Department.objects.get(center=center, code=spec["lead_department_code"])
    if bundle is None:
        bundle = Bundle(center=center, code=spec["code"])
    else:
        BundleFieldMapping.objects.filter(field__bundle=bundle).delete()
        bundle.questions.all().delete()
        bundle.fields.all().delete()
        bundle.materials.all().delete()
        bundle.bundle_items.all().delete()
        bundle.phases.all().delete()
    bundle.name = spec["name"]
    bundle.description = spec["description"]
    bundle.lead_department = lead
    bundle.promised_limit = spec["promised_limit"]
    bundle.active = spec["active"]
    bundle.save()
    items = {
        i.code: i
        for i in ServiceItem.objects.filter(center=center, code__in={e["item_code"] for e in spec["items"]})
    }
    phases = {
        p["name"]: BundlePhase.objects.create(bundle=bundle, position=n, **p)
        for n, p in enumerate(spec["phases"], start=1)
    }
    BundleItem.objects.bulk_create(
        [
            BundleItem(
                bundle=bundle,
                item=items[e["item_code"]],
                phase=phases[e["phase"]] if e["phase"] else None,
                position=n,
            )
            for n, e in enumerate(spec["items"], start=1)
        ]
    )
    for n, f in enumerate(spec["fields"], start=1):
        field = BundleField.objects.create(
            bundle=bundle,
            key=f["key"],
            label=f["label"],
            field_type=f["field_type"],
            required=f["required"],
            choices=f["choices"],
            position=n,
        )
        BundleFieldMapping.objects.bulk_create(
            [
                BundleFieldMapping(field=field, item=items[m["item_code"]], target=m["target"])
                for m in f["mappings"]
            ]
        )
    for n, m in enumerate(spec["materials"], start=1):
        material = BundleMaterial.objects.create(
            bundle=bundle,
            position=n,
            name=m["name"],
            requirement=m["requirement"],
            form=m["form"],
            copies=m["copies"],
        )
        material.items.set([items[c] for c in m["item_codes"]])
    members = {bi.item.code: bi for bi in bundle.bundle_items.select_related("item")}
    for n, q in enumerate(spec["questions"], start=1):
        question = BundleQuestion.objects.create(bundle=bundle, key=q["key"], text=q["text"], position=n)
        for o_n, o in enumerate(q["options"], start=1):
            option = BundleOption.objects.create(
                question=question, value=o["value"], label=o["label"], position=o_n
            )
            option.items.set([members[c] for c in o["item_codes"]])
    audit.record(action="catalog.bundle.save", obj=bundle, before=before, after=spec, actor=actor)
    return bundle, outcome

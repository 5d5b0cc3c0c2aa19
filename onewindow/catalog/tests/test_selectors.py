from __future__ import annotations

import pytest

from onewindow.catalog import selectors
from onewindow.core.errors import NotFound, ValidationFailed
from tests.factories import make_item


def test_published_items_order_and_filters(org):
    org.dept_a.position = 2
    org.dept_a.save()
    org.dept_b.position = 1
    org.dept_b.save()
    a = make_item(org, code="B001", name="食品经营许可")
    b = make_item(
        org,
        code="A001",
        name="税务登记",
        department=org.dept_b,
        handling_type="instant",
        legal_limit=1,
        promised_limit=0,
    )
    assert list(selectors.published_items(center=org.center)) == [b, a]
    assert list(selectors.published_items(center=org.center.code, department_code="SCJG")) == [a]
    assert list(selectors.published_items(handling_type="instant")) == [b]
    assert list(selectors.published_items(q="食品许可")) == [a]
    with pytest.raises(ValidationFailed) as exc:
        selectors.published_items(handling_type="quick")
    assert exc.value.code == "unknown_filter"
    assert "handling_type" in exc.value.details


def test_item_by_code_and_not_found(org):
    v = make_item(org, code="X1")
    got = selectors.item_by_code("X1", center=org.center)
    assert got == v
    assert [m.name for m in got.materials.all()] == ["申请书", "营业执照", "场所证明"]
    assert [s.kind for s in got.steps.all()][-1] == "certify"
    with pytest.raises(NotFound):
        selectors.item_by_code("NOPE")


def test_departments_with_counts(org):
    make_item(org, code="C1")
    make_item(org, code="C2")
    counts = {d.code: n for d, n in selectors.departments_with_counts(center=org.center)}
    assert counts == {"SCJG": 2, "SW": 0}


def test_catalog_compression(org):
    make_item(org, code="K1", legal_limit=20, promised_limit=10)
    make_item(org, code="K2", legal_limit=10, promised_limit=2)
    make_item(org, code="K3", legal_limit=0, promised_limit=0, handling_type="instant")
    comp = selectors.catalog_compression(center=org.center)
    assert comp.total_legal == 30
    assert comp.total_promised == 12
    assert comp.ratio == pytest.approx(0.6)
    assert comp.mean_ratio == pytest.approx((0.5 + 0.8) / 2)
    assert {i.code: i.ratio for i in comp.items}["K3"] is None

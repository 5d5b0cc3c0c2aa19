"""The search table: real queries against the demo catalog and the item each must find first.

The demo catalog is loaded once for the module with the demo loader's catalog part (the center,
posts, departments, windows, then the themes, items and bundles through catalog_import_specs),
without the demo's accounts or activity."""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import transaction

from onewindow.catalog import selectors, synonyms
from onewindow.catalog.services import catalog_import_specs
from onewindow.demo import loader
from onewindow.demo.data.org import DEMO_CENTER_CODE
from onewindow.demo.specs import bundle_specs, item_specs, theme_specs

TABLE = [
    # (query, the first result)
    ("营业执照办理", "SCJG-001"),
    ("营业执照", "SCJG-001"),
    ("身份证", "GA-001"),
    ("办身份证", "GA-001"),
    ("身份证丢了怎么办", "GA-001"),
    ("开饭店", "SCJG-005"),
    ("开餐馆需要什么材料", "SCJG-005"),
    ("开公司", "SCJG-001"),
    ("注册公司", "SCJG-001"),
    ("食品经营许可", "SCJG-005"),
    ("食品经营许可证怎么办理", "SCJG-005"),
    ("食品生产许可", "SCJG-006"),
    ("个体户", "SCJG-002"),
    ("个体工商户", "SCJG-002"),
    ("公司注销", "SCJG-004"),
    ("企业变更", "SCJG-003"),
    ("税务登记", "SW-001"),
    ("发票", "SW-005"),
    ("领发票", "SW-005"),
    ("一般纳税人", "SW-004"),
    ("护照", "GA-005"),
    ("港澳通行证", "GA-004"),
    ("去香港", "GA-004"),
    ("居住证", "GA-006"),
    ("户口迁移", "GA-002"),
    ("落户", "GA-002"),
    ("驾照到期换证", "GA-010"),
    ("新车上牌", "GA-009"),
    ("结婚登记在哪里办", "MZ-001"),
    ("社保卡", "RS-005"),
    ("失业登记", "RS-002"),
    ("退休", "RS-007"),
    ("二手房过户", "ZRZY-006"),
    ("不动产登记", "ZRZY-006"),
    ("施工许可证", "ZJ-001"),
    ("消防验收", "ZJ-003"),
    ("环评", "STHJ-001"),
    ("排污许可", "STHJ-004"),
    ("取水许可", "SL-003"),
    ("防雷", "QX-001"),
    ("公共场所卫生许可", "WJ-001"),
    ("开诊所", "WJ-002"),
    ("医师执业注册", "WJ-003"),
    ("开网吧", "WL-004"),
    ("开药店", "SCJG-007"),
    ("旅行社", "WL-003"),
    ("养老院", "MZ-003"),
    ("企业投资项目备案", "FG-002"),
    ("SCJG-005", "SCJG-005"),
    ("ga-001", "GA-001"),
    ("医疗器械", "SCJG-009"),
    ("烟花爆竹", "GA-007"),
    ("取水许可证", "SL-003"),
    ("娱乐场所经营许可证", "WL-001"),
    ("护士执业证", "WJ-004"),
    ("临时身份证", "GA-003"),
    ("药店", "SCJG-007"),
    ("网吧", "WL-004"),
    ("营业执照变更", "SCJG-003"),
    ("社会团体登记", "MZ-002"),
    ("办理居住证需要什么材料", "GA-006"),
    ("排污证", "STHJ-004"),
    ("港澳通行证续签", "GA-004"),
    ("失业保险金", "RS-002"),
]


@pytest.fixture(scope="module")
def demo_catalog(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), transaction.atomic():
        synonyms.seed_default_synonyms()  # migration 0003's table (transactional tests empty it)
        created: Counter[str] = Counter()
        updated: Counter[str] = Counter()
        center = loader._load_centers(created, updated)[DEMO_CENTER_CODE]
        loader._load_posts(created, updated)
        departments = loader._load_departments(center, created, updated)
        loader._load_windows(center, departments, created, updated)
        catalog_import_specs(
            center=center,
            themes=theme_specs(),
            items=item_specs(),
            bundles=bundle_specs(),
            actor=None,
            publish=True,
        )
        yield center
        transaction.set_rollback(True)


def first_codes(center, q, n=3):  # type: ignore[no-untyped-def]
    return [v.item.code for v in selectors.published_items(center=center, q=q)[:n]]


@pytest.mark.parametrize(("q", "expected"), TABLE)
def test_the_first_result(demo_catalog, db, q, expected):  # type: ignore[no-untyped-def]
    found = first_codes(demo_catalog, q)
    assert found and found[0] == expected, (q, found)


def test_the_table_is_long_enough():
    assert len(TABLE) >= 30


def test_exact_name_then_name_then_other_texts(demo_catalog, db):  # type: ignore[no-untyped-def]
    codes = [v.item.code for v in selectors.published_items(center=demo_catalog, q="身份证")]
    assert codes[:2] == ["GA-001", "GA-003"]  # in the name, the earlier the better
    assert len(codes) > 2  # then items that only ask for an identity document
    assert first_codes(demo_catalog, "居民身份证申领", n=2) == ["GA-001", "GA-003"]


def test_everyday_wording_lists_every_target_in_order(demo_catalog, db):  # type: ignore[no-untyped-def]
    assert first_codes(demo_catalog, "开饭店") == ["SCJG-005", "SCJG-001", "WJ-001"]
    assert first_codes(demo_catalog, "开公司", n=4) == ["SCJG-001", "ZJJ-001", "SW-001", "SW-002"]
    found = selectors.search_items("我想开饭店", center=demo_catalog)
    assert found.wordings == ["开饭店"] and found.items[0].item.code == "SCJG-005"
    assert found.bundles == []
    found = selectors.search_items("注册公司怎么办", center=demo_catalog)
    assert found.wordings == ["注册公司"] and [b.code for b in found.bundles] == ["QYSL"]


def test_filler_words_alone_and_nonsense(demo_catalog, db):  # type: ignore[no-untyped-def]
    assert first_codes(demo_catalog, "宇宙飞船发射") == []
    assert first_codes(demo_catalog, "？！") == []

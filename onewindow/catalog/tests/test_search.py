"""Chinese-aware search: jieba tokens in search_text, every query token required."""

from __future__ import annotations

from onewindow.catalog import search, selectors, services
from onewindow.catalog.tests.conftest import instant_spec, item_spec


def load(org):
    services.catalog_import_specs(
        center=org.center,
        themes=[{"code": "QYKB", "name": "企业开办"}, {"code": "SHSW", "name": "社会事务"}],
        items=[
            item_spec(themes=["QYKB"]),  # 食品经营许可, materials 营业执照 …
            item_spec(
                code="SC-002",
                name="药品零售企业许可证核发",
                conditions="具有依法经过资格认定的药学技术人员",
                materials=[{"name": "质量管理文件"}, {"name": "营业执照", "form": "copy"}],
            ),
            instant_spec(name="个体工商户设立登记", department_code="SCJG", code="SC-003"),
            instant_spec(themes=["SHSW"]),  # 发票领用, 税务局
        ],
        bundles=[],
    )


def codes(**kwargs):
    return [v.item.code for v in selectors.published_items(**kwargs)]


def test_tokens():
    assert search.tokens("食品经营许可") == ["食品", "经营", "许可"]
    assert search.tokens("申请书(原件)") == ["申请", "申请书", "原件"]
    assert search.query_tokens("  ") == []


def test_search_text_is_set_by_the_services(org):
    load(org)
    text = selectors.item_by_code("SC-001").search_text.split()
    for word in ("食品", "经营", "许可", "营业执照", "市场监督管理局", "sc-001"):
        assert word in text


def test_two_character_words(org):
    load(org)
    assert codes(q="许可") == ["SC-001", "SC-002"]
    assert codes(q="登记") == ["SC-003"]
    assert codes(q="税务") == ["SW-001"]  # the department name
    assert codes(q="发票") == ["SW-001"]


def test_every_token_is_required(org):
    load(org)
    assert codes(q="食品许可") == ["SC-001"]
    assert codes(q="药品 许可") == ["SC-002"]
    assert codes(q="食品 药品") == []
    assert codes(q="药学技术") == ["SC-002"]  # the conditions
    assert codes(q="个体工商户") == ["SC-003"]


def test_search_combines_with_filters(org):
    load(org)
    assert codes(q="许可", theme_code="QYKB") == ["SC-001"]
    assert codes(q="营业执照", department_code="SW") == []
    assert codes(q="sc-002") == ["SC-002"]


def test_themes_with_counts(org):
    load(org)
    counts = {theme.code: n for theme, n in selectors.themes_with_counts(center=org.center)}
    assert counts == {"QYKB": 1, "SHSW": 1}


def test_bundles_selector(org):
    load(org)
    assert list(selectors.bundles(center=org.center)) == []

"""Chinese-aware search: bigram index terms, jieba query words, every word required, the
everything kept in step with publishing."""

from __future__ import annotations

import io

from onewindow.catalog import search, selectors, services, synonyms
from onewindow.catalog.models import SearchEntry
from onewindow.catalog.tests.conftest import instant_spec, item_spec


def load(org):
    synonyms.seed_default_synonyms()  # migration 0003's table (transactional tests empty it)
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


def test_index_terms_and_query_words():
    assert search.index_terms(["食品经营许可"]) == "食品 品经 经营 营许 许可 可"
    assert search.index_terms(["SC-001 （原件）"]) == "sc 001 原件 件"
    assert [w.text for w in search.query_words("营业执照怎么办理？")] == ["营业执照"]
    assert search.query_words("营业执照")[0].terms == ("营业", "业执", "执照")
    assert [w.text for w in search.query_words("开 个 店")] == ["开", "个", "店"]  # nothing longer
    assert search.query_words("开 个 店")[0].prefix
    assert search.query_words("  ") == []
    assert [w.text for w in search.query_words("办理")] == ["办理"]  # only filler: kept


def test_search_text_is_set_by_the_services(org):
    load(org)
    text = selectors.item_by_code("SC-001").search_text.split()
    for word in ("食品", "经营", "许可", "营业", "执照", "监督", "sc", "001"):
        assert word in text


def test_publishing_keeps_the_index_in_step(org):
    load(org)
    assert codes(q="餐饮") == []
    version = services.item_new_draft(item=selectors.item_for_edit("SC-001", center=org.center))
    spec = {**item_spec(), "name": "餐饮服务许可"}
    services.item_save_draft(center=org.center, spec=spec)
    assert codes(q="餐饮") == []  # a draft is not searched
    services.item_publish(version=version)
    assert codes(q="餐饮") == ["SC-001"]
    entry = SearchEntry.objects.get(item__code="SC-001")
    assert entry.version == version and "餐饮" in entry.name_terms.split()
    assert SearchEntry.objects.filter(item__code="SC-001").count() == 1


def test_two_character_words(org):
    load(org)
    assert codes(q="许可") == ["SC-001", "SC-002"]
    assert codes(q="登记") == ["SC-003"]
    assert codes(q="税务") == ["SW-001"]  # the department name
    assert codes(q="发票") == ["SW-001"]


def test_every_word_is_required_and_some_words_are_better_than_nothing(org):
    load(org)
    assert codes(q="食品许可") == ["SC-001"]
    assert codes(q="药品 许可") == ["SC-002"]
    assert sorted(codes(q="食品 药品")) == ["SC-001", "SC-002"]  # no item has both: each in its name
    assert codes(q="药学技术") == ["SC-002"]  # the conditions
    assert codes(q="个体工商户") == ["SC-003"]
    assert codes(q="宇宙 飞船") == []


def test_relevance_name_before_other_texts(org):
    load(org)
    # the everyday-wording table first (营业执照 -> 个体工商户设立登记), then the two licences
    # that ask for it (a material name)
    found = codes(q="营业执照")
    assert found[0] == "SC-003" and sorted(found[1:]) == ["SC-001", "SC-002"]
    # 许可 in both names: the earlier in the name first
    assert codes(q="许可证") == ["SC-002"]
    assert codes(q="药品零售企业许可证核发") == ["SC-002"]


def test_unindexed_versions_are_found_by_name(org):
    from tests.factories import make_item

    make_item(org, code="X-1", name="测绘资质审批")
    assert codes(q="测绘资质") == ["X-1"]
    assert codes(q="x-1") == ["X-1"]


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


def test_reindex_after_a_department_is_renamed(org):
    from django.core.management import call_command

    load(org)
    assert codes(q="工商局") == []
    # renamed through the org service: the catalog reindexes the department's items at once
    from onewindow.org.structure import department_save

    d = org.dept_a
    department_save(department=d, center=d.center, code=d.code, name="工商局", actor=None)
    assert "商局" in SearchEntry.objects.get(item__code="SC-001").other_terms
    assert sorted(codes(q="工商局")) == ["SC-001", "SC-002", "SC-003"]
    # and the command rebuilds everything, e.g. after a change of the index terms
    SearchEntry.objects.all().delete()
    out = io.StringIO()
    call_command("reindex_catalog", stdout=out)
    assert "Indexed 4 published items." in out.getvalue()
    assert SearchEntry.objects.count() == 4
    assert sorted(codes(q="工商局")) == ["SC-001", "SC-002", "SC-003"]


def test_renaming_a_theme_reindexes_its_items(org):
    load(org)
    assert codes(q="营商服务") == []
    services.theme_save(spec={"code": "QYKB", "name": "营商服务"})
    assert codes(q="营商服务") == ["SC-001"]

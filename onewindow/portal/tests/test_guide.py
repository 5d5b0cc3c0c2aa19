"""The public service guide: every page, search, the center choice, downloads, 404 pages,
and that no staff name or personal data ever appears."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from onewindow.catalog.models import (
    Bundle,
    BundleField,
    BundleFieldMapping,
    BundleItem,
    BundleMaterial,
    BundlePhase,
    Material,
    ServiceItemVersion,
    Theme,
)
from onewindow.org.models import Center, Department
from onewindow.portal import centers
from tests.factories import make_item, make_user

HTMX = {"HTTP_HX_REQUEST": "true"}
STAFF_NAME = "张保密"
STAFF_PHONE = "13812345678"


@pytest.fixture
def guide(org, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    org.center.address = "人民路1号"
    org.center.phone = "0571-12345"
    org.center.save()
    publisher = make_user(
        "publisher", center=org.center, full_name=STAFF_NAME, phone=STAFF_PHONE, email="zhang@example.cn"
    )
    food = make_item(org, code="SC001", name="食品经营许可", legal_limit=20, promised_limit=6)
    tax = make_item(
        org, code="SW001", name="税务登记", department=org.dept_b, legal_limit=15, promised_limit=1
    )
    instant = make_item(
        org,
        code="SC002",
        name="个体工商户名称变更",
        legal_limit=0,
        promised_limit=0,
        handling_type=ServiceItemVersion.HandlingType.INSTANT,
    )
    ServiceItemVersion.objects.filter(pk__in=[food.pk, tax.pk, instant.pk]).update(
        created_by=publisher,
        published_by=publisher,
        legal_basis="《中华人民共和国食品安全法》第三十五条",
        conditions="具有与经营的食品品种、数量相适应的经营场所",
        procedure="申请—受理—审查—决定",
        fees="不收费",
        fee_basis="财税〔2015〕102号",
        contact="0571-88880000",
        online_allowed=True,
        appointment_allowed=True,
        visits_required=0,
        green_channel_eligible=True,
    )
    theme = Theme.objects.create(code="QYKB", name="企业开办", audience=Theme.Audience.ENTERPRISE)
    food.themes.add(theme)
    tax.themes.add(theme)
    material = food.materials.get(position=1)
    material.template_file.save("apply.docx", ContentFile(b"blank form"), save=False)
    material.sample_file.save("apply-sample.pdf", ContentFile(b"sample"), save=False)
    material.save()
    bundle = Bundle.objects.create(
        center=org.center,
        code="QYSL",
        name="企业设立登记一件事",
        description="四证联办",
        lead_department=org.dept_a,
        promised_limit=2,
    )
    phase1 = BundlePhase.objects.create(bundle=bundle, position=1, name="登记")
    phase2 = BundlePhase.objects.create(bundle=bundle, position=2, name="税务")
    BundleItem.objects.create(bundle=bundle, item=food.item, phase=phase1, position=1)
    BundleItem.objects.create(bundle=bundle, item=tax.item, phase=phase2, position=2)
    field = BundleField.objects.create(bundle=bundle, key="company_name", label="企业名称", position=1)
    BundleFieldMapping.objects.create(field=field, item=food.item, target="name")
    shared = BundleMaterial.objects.create(bundle=bundle, position=1, name="法定代表人身份证明")
    shared.items.set([food.item, tax.item])
    return {"food": food, "tax": tax, "instant": instant, "theme": theme, "bundle": bundle, "org": org}


def get(client, name, *args, **params):
    return client.get(reverse(name, args=args), params)


def test_home_lists_departments_themes_and_bundles(client, guide):
    response = get(client, "portal:home")
    assert response.status_code == 200
    body = response.content.decode()
    assert "测试市政务服务中心" in body
    assert 'data-department="SCJG"' in body and 'data-department="SW"' in body
    assert 'data-theme="QYKB"' in body
    assert 'data-bundle="QYSL"' in body
    assert 'name="q"' in body  # the search box
    assert 'lang="zh-hans"' in body and "办事指南" in body


def test_department_page(client, guide):
    body = get(client, "portal:department", "SW").content.decode()
    assert 'data-item="SW001"' in body and 'data-item="SC001"' not in body


def test_theme_page(client, guide):
    body = get(client, "portal:theme", "QYKB").content.decode()
    assert 'data-item="SC001"' in body and 'data-item="SW001"' in body
    assert 'data-item="SC002"' not in body


def test_item_page_has_everything_the_applicant_needs(client, guide):
    response = get(client, "portal:item", "SC001")
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "食品经营许可",
        "《中华人民共和国食品安全法》第三十五条",  # 法定依据
        "具有与经营的食品品种",  # 申请条件
        "申请书",  # 申报材料
        "申请—受理—审查—决定",  # 办理程序
        "财税〔2015〕102号",  # 收费依据
        "市场监督管理局",  # 责任部门
        "0571-88880000",  # 咨询电话
        "审查岗",  # a step's post
    ):
        assert text in body, text
    assert 'data-testid="legal-limit">20 个工作日' in body
    assert 'data-testid="promised-limit">6 个工作日' in body
    assert "70%" in body  # compression: 1 - 6/20
    for flag in ("网上办理", "可预约", "零跑腿", "绿色通道"):
        assert flag in body, flag
    assert reverse("portal:material_file", args=["SC001", 1, "template"]) in body
    assert reverse("portal:material_file", args=["SC001", 1, "sample"]) in body
    assert reverse("portal:item_print", args=["SC001"]) in body


def test_instant_item_page(client, guide):
    body = get(client, "portal:item", "SC002").content.decode()
    assert "即办件" in body or "instant" in body
    assert "当场办结" in body


def test_print_view(client, guide):
    response = get(client, "portal:item_print", "SC001")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="print-view"' in body and "data-print" in body and "web/page.js" in body
    assert "食品经营许可" in body and "《中华人民共和国食品安全法》第三十五条" in body
    assert "site-header" not in body  # a sheet, not the site layout
    assert "/materials/" not in body  # no download links on paper


def test_bundle_page(client, guide):
    response = get(client, "portal:bundle", "QYSL")
    assert response.status_code == 200
    body = response.content.decode()
    assert "企业设立登记一件事" in body
    assert 'data-testid="bundle-limit">2 个工作日内办结' in body
    assert "第 1 阶段：登记" in body and "第 2 阶段：税务" in body
    assert 'data-item="SC001"' in body and 'data-item="SW001"' in body
    assert "企业名称" in body  # a single-form field
    assert "法定代表人身份证明" in body  # the de-duplicated material


def test_search_finds_chinese_words(client, guide):
    body = get(client, "portal:search", q="食品").content.decode()
    assert 'data-item="SC001"' in body and 'data-item="SW001"' not in body
    body = client.get("/search", {"q": "税务"}).content.decode()
    assert 'data-item="SW001"' in body and 'data-item="SC001"' not in body


def test_search_understands_everyday_wording_and_filler_words(client, guide):
    from onewindow.catalog.synonyms import seed_default_synonyms

    seed_default_synonyms()  # migration 0003's table (transactional tests empty it)
    body = get(client, "portal:search", q="开饭店").content.decode()
    assert 'data-testid="search-synonym">“开饭店”通常需要办理以下事项：' in body
    assert 'data-item="SC001"' in body and 'data-item="SW001"' not in body
    body = get(client, "portal:search", q="注册公司").content.decode()
    assert 'data-testid="search-bundle" data-bundle="QYSL">一次申请，一并办理：' in body
    assert body.index('data-item="SC001"') < body.index('data-item="SW001"')  # the bundle's order
    body = get(client, "portal:search", q="税务登记怎么办理？").content.decode()
    assert 'data-item="SW001"' in body and "search-synonym" not in body


def test_search_without_results_and_empty_query(client, guide):
    body = get(client, "portal:search", q="不存在的事项名称").content.decode()
    assert 'data-testid="search-count">找到 0 个' in body
    body = get(client, "portal:search").content.decode()
    assert "data-item=" not in body


def test_search_htmx_fragment(client, guide):
    response = client.get(reverse("portal:search"), {"q": "食品"}, **HTMX)
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="search-results">')
    assert "<html" not in body and 'data-item="SC001"' in body


@pytest.mark.parametrize(
    "url",
    [
        "/items/NOPE/",
        "/items/NOPE/print/",
        "/bundles/NOPE/",
        "/departments/NOPE/",
        "/themes/NOPE/",
        "/no-such-page/",
        "/?center=NOPE",
    ],
)
def test_friendly_404_pages(client, guide, url):
    response = client.get(url)
    assert response.status_code == 404
    body = response.content.decode()
    assert "抱歉，没有找到这个页面" in body
    assert 'name="q"' in body  # offers the search box


def test_unpublished_item_is_not_shown(client, guide):
    food = guide["food"]
    food.item.published_version = None
    food.item.save()
    assert get(client, "portal:item", "SC001").status_code == 404


# --- which center ----------------------------------------------------------------------


def test_default_center_is_the_first_city_level_center(guide):
    Center.objects.create(code="AAA", name="某县政务服务中心", level=Center.Level.COUNTY)
    Center.objects.create(code="ZZZ", name="另一个市中心", level=Center.Level.CITY)
    assert centers.default_center().code == "DEMO"


def test_center_parameter_picks_another_center_and_links_carry_it(client, guide, org):
    county = Center.objects.create(code="XIAN", name="某县政务服务中心", level=Center.Level.COUNTY)
    dept = Department.objects.create(center=county, code="SCJG", name="县市场监管局")
    from dataclasses import replace

    make_item(replace(org, center=county, dept_a=dept), code="SC001", name="县级食品经营许可")
    body = client.get("/", {"center": "xian"}).content.decode()
    assert "某县政务服务中心" in body
    assert "?center=XIAN" in body
    body = client.get("/items/SC001/", {"center": "XIAN"}).content.decode()
    assert "县级食品经营许可" in body
    body = client.get("/items/SC001/").content.decode()
    assert "县级食品经营许可" not in body and "食品经营许可" in body


def test_no_center_at_all(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "办事指南尚未开通" in response.content.decode()


# --- downloads -------------------------------------------------------------------------


def test_download_serves_catalog_template_and_sample(client, guide):
    response = get(client, "portal:material_file", "SC001", 1, "template")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"blank form"
    assert "attachment" in response["Content-Disposition"]
    response = get(client, "portal:material_file", "SC001", 1, "sample")
    assert b"".join(response.streaming_content) == b"sample"


def test_download_refuses_anything_else(client, guide):
    default_storage.save("cases/secret.pdf", ContentFile(b"personal data"))
    default_storage.save("catalog/templates/other.docx", ContentFile(b"other"))
    material = guide["food"].materials.get(position=1)
    # no file for this material / unknown kind / unknown position / unknown item
    assert get(client, "portal:material_file", "SC001", 2, "template").status_code == 404
    assert get(client, "portal:material_file", "SC001", 1, "secret").status_code == 404
    assert get(client, "portal:material_file", "SC001", 99, "template").status_code == 404
    assert get(client, "portal:material_file", "NOPE", 1, "template").status_code == 404
    # a material whose file points outside the catalog folders is never served
    for name in ("cases/secret.pdf", "catalog/templates/../../cases/secret.pdf", "/etc/passwd"):
        Material.objects.filter(pk=material.pk).update(template_file=name)
        response = get(client, "portal:material_file", "SC001", 1, "template")
        assert response.status_code == 404, name
    # a template file used as a sample is not served either (each kind has its folder)
    Material.objects.filter(pk=material.pk).update(sample_file="catalog/templates/other.docx")
    assert get(client, "portal:material_file", "SC001", 1, "sample").status_code == 404
    # a missing file is a 404, not a 500
    Material.objects.filter(pk=material.pk).update(template_file="catalog/templates/gone.docx")
    assert get(client, "portal:material_file", "SC001", 1, "template").status_code == 404


def test_download_of_a_superseded_version_file_is_refused(client, guide):
    food = guide["food"]
    draft = ServiceItemVersion.objects.create(
        item=food.item,
        number=2,
        status=ServiceItemVersion.Status.DRAFT,
        name="草稿",
        department=food.department,
        handling_type=food.handling_type,
        legal_limit=20,
        promised_limit=5,
    )
    Material.objects.create(
        version=draft, position=5, name="草稿材料", template_file="catalog/templates/d.docx"
    )
    default_storage.save("catalog/templates/d.docx", ContentFile(b"draft"))
    assert get(client, "portal:material_file", "SC001", 5, "template").status_code == 404


# --- no personal data ------------------------------------------------------------------


def test_public_pages_never_show_staff_names_or_personal_data(client, guide):
    urls = [
        reverse("portal:home"),
        reverse("portal:search") + "?q=食品",
        reverse("portal:department", args=["SCJG"]),
        reverse("portal:theme", args=["QYKB"]),
        reverse("portal:item", args=["SC001"]),
        reverse("portal:item_print", args=["SC001"]),
        reverse("portal:bundle", args=["QYSL"]),
    ]
    org = guide["org"]
    staff = [u.get_username() for u in org.users.values()] + [STAFF_NAME, "publisher"]
    for url in urls:
        body = client.get(url).content.decode()
        for text in [STAFF_NAME, STAFF_PHONE, "138****5678", "zhang@example.cn"]:
            assert text not in body, (url, text)
        for username in staff:
            assert f">{username}<" not in body, (url, username)


def test_the_online_hall_is_in_the_navigation_in_chinese_and_in_english(client, guide):
    """Issue 14: 登录/我的办件/在线预约/在线咨询 in the public navigation (the staff navigation's
    预约管理 is another msgctxt); in English too."""
    body = get(client, "portal:home").content.decode()
    for label in ("登录", "我的办件", "在线预约", "在线咨询", "长辈模式"):
        assert label in body, label
    english = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for label in ("Sign in", "My cases", "Appointments", "Online consultation"):
        assert label in english, label

"""The staff catalog page searches like the service guide: everyday wording, filler words,
best match first."""

from __future__ import annotations

import re

from django.urls import reverse

from onewindow.catalog import services
from onewindow.catalog.synonyms import seed_default_synonyms
from onewindow.catalog.tests.conftest import instant_spec, item_spec


def listed(client, q):
    body = client.get(reverse("web:catalog"), {"q": q}).content.decode()
    return re.findall(r'<tr data-item="([^"]+)"', body)


def test_staff_catalog_search_ranks_by_relevance(client, org):
    services.catalog_import_specs(
        center=org.center,
        themes=[],
        items=[
            item_spec(),  # 食品经营许可
            item_spec(code="SC-002", name="食品生产许可", materials=[{"name": "营业执照"}]),
            instant_spec(),  # 发票领用
        ],
        bundles=[],
    )
    seed_default_synonyms()  # migration 0003's table (transactional tests empty it)
    client.force_login(org.user("clerk"))
    assert listed(client, "开饭店")[0] == "SC-001"
    body = client.get(reverse("web:catalog"), {"q": "开饭店"}).content.decode()
    assert "“开饭店”通常需要办理以下事项" in body  # the wording it was read as, as in the guide
    assert listed(client, "发票怎么办理？") == ["SW-001"]
    assert listed(client, "食品生产许可") == ["SC-002"]
    assert listed(client, "许可")[:2] == ["SC-001", "SC-002"]
    assert listed(client, "宇宙飞船") == []

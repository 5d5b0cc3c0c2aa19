"""The everyday-wording table: validated, audited, edited in the admin, used by the search."""

from __future__ import annotations

import pytest
from django.urls import reverse

from onewindow.catalog import selectors, services, synonyms
from onewindow.catalog.models import SearchSynonym
from onewindow.catalog.tests.conftest import instant_spec, item_spec
from onewindow.catalog.tests.test_admin import staff_client
from onewindow.core.errors import PermissionDenied, ValidationFailed
from onewindow.core.models import AuditEntry


def load(org):
    services.catalog_import_specs(
        center=org.center,
        themes=[],
        items=[item_spec(), instant_spec(name="个体工商户设立登记", department_code="SCJG", code="SC-003")],
        bundles=[],
    )


def codes(q):
    return [v.item.code for v in selectors.published_items(q=q)]


def test_the_default_table(db):
    # migration 0003 loads it; a test run may have emptied the table since (transactional tests)
    synonyms.seed_default_synonyms()
    seeded = SearchSynonym.objects.get(phrase="开饭店")
    assert seeded.target_list == ["食品经营许可", "营业执照", "公共场所卫生许可"]
    assert SearchSynonym.objects.count() >= 30
    assert synonyms.seed_default_synonyms() == 0  # idempotent
    seeded.delete()
    assert synonyms.seed_default_synonyms() == 1


def test_save_validates_normalises_and_audits(org):
    saved = synonyms.synonym_save(
        spec={"phrase": " 开小吃店 ", "targets": "食品经营许可\n\n SC-003 \n"}, actor=org.user("centeradmin")
    )
    assert (saved.phrase, saved.targets, saved.active) == ("开小吃店", "食品经营许可\nSC-003", True)
    entry = AuditEntry.objects.get(action="catalog.synonym.save")
    assert entry.after["phrase"] == "开小吃店" and entry.before is None

    with pytest.raises(ValidationFailed) as exc:
        synonyms.synonym_save(spec={"phrase": "开小吃店", "targets": "食品"})
    assert "phrase" in exc.value.details
    with pytest.raises(ValidationFailed) as exc:
        synonyms.synonym_save(spec={"phrase": "？", "targets": ""})
    assert set(exc.value.details) == {"phrase", "targets"}
    with pytest.raises(PermissionDenied):
        synonyms.synonym_save(spec={"phrase": "开小店", "targets": "食品"}, actor=org.user("clerk"))

    synonyms.synonym_delete(synonym=saved)
    assert AuditEntry.objects.filter(action="catalog.synonym.delete").count() == 1
    assert not SearchSynonym.objects.filter(phrase="开小吃店").exists()


def test_targets_by_code_phrase_and_inactive(org):
    load(org)
    assert codes("开小吃店") == []
    synonym = synonyms.synonym_save(spec={"phrase": "开小吃店", "targets": "SC-003\n食品经营"})
    assert codes("我想开小吃店") == ["SC-003", "SC-001"]
    synonyms.synonym_save(synonym=synonym, spec={"phrase": "开小吃店", "targets": "SC-003", "active": False})
    assert codes("我想开小吃店") == []


def test_admin_add_change_delete(client, org):
    admin_client = staff_client(client, org.user("centeradmin"))
    add = reverse("admin:catalog_searchsynonym_add")
    response = admin_client.post(add, {"phrase": "开小吃店", "targets": "食品经营许可", "active": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    synonym = SearchSynonym.objects.get(phrase="开小吃店")
    response = admin_client.post(add, {"phrase": "开小吃店", "targets": "", "active": "on"})
    assert response.status_code == 200 and SearchSynonym.objects.filter(phrase="开小吃店").count() == 1
    change = reverse("admin:catalog_searchsynonym_change", args=[synonym.pk])
    response = admin_client.post(change, {"phrase": "开小吃店", "targets": "SC-003", "active": "on"})
    assert response.status_code == 302
    synonym.refresh_from_db()
    assert synonym.targets == "SC-003"
    changelist = admin_client.get(reverse("admin:catalog_searchsynonym_changelist"))
    assert changelist.status_code == 200 and "开小吃店" in changelist.content.decode()
    delete = reverse("admin:catalog_searchsynonym_delete", args=[synonym.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 302
    actions = AuditEntry.objects.filter(object_id=str(synonym.pk)).values_list("action", flat=True)
    assert sorted(actions) == [
        "catalog.synonym.delete",
        "catalog.synonym.save",
        "catalog.synonym.save",
    ]


def test_a_reviewer_cannot_edit_the_table(client, org):
    reviewer = staff_client(client, org.user("scjg-reviewer"))
    response = reviewer.post(
        reverse("admin:catalog_searchsynonym_add"), {"phrase": "开小吃店", "targets": "食品"}
    )
    assert response.status_code == 403

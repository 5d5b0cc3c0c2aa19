"""The everyday-wording table of the search (搜索同义词): administrators say what people mean
(开饭店 -> 食品经营许可, 营业执照, 公共场所卫生许可). Saved and deleted through `synonyms`, so
every change is validated and audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from onewindow.catalog import synonyms
from onewindow.catalog.admin.pages import CHANGE_ITEM, VIEW_ITEM
from onewindow.catalog.models import SearchSynonym
from onewindow.org.selectors import request_account


class SearchSynonymForm(forms.ModelForm):
    class Meta:
        model = SearchSynonym
        fields = ("phrase", "targets", "active")
        widgets = {"targets": forms.Textarea(attrs={"rows": 5, "cols": 40})}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for field, messages in synonyms.check_synonym(data).items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)
        return data


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    form = SearchSynonymForm
    list_display = ("phrase", "targets_line", "active", "updated_at")
    list_filter = ("active",)
    search_fields = ("phrase", "targets")

    @admin.display(description=SearchSynonym._meta.get_field("targets").verbose_name)
    def targets_line(self, obj: SearchSynonym) -> str:
        return "、".join(obj.target_list)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(VIEW_ITEM)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(CHANGE_ITEM)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(CHANGE_ITEM)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(CHANGE_ITEM)

    def save_model(self, request: HttpRequest, obj: SearchSynonym, form: Any, change: bool) -> None:
        saved = synonyms.synonym_save(
            spec={"phrase": obj.phrase, "targets": obj.targets, "active": obj.active},
            synonym=obj if change else None,
            actor=request_account(request),
        )
        obj.pk = saved.pk
        obj.phrase, obj.targets = saved.phrase, saved.targets

    def delete_model(self, request: HttpRequest, obj: SearchSynonym) -> None:
        synonyms.synonym_delete(synonym=obj, actor=request_account(request))

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[SearchSynonym]) -> None:
        for synonym in queryset:
            synonyms.synonym_delete(synonym=synonym, actor=request_account(request))

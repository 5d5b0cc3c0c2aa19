"""What the catalog admin pages share: the permissions they check, the account's center, error
messages of a service failure, and the validation of a whole change page (main form + inline
formsets) as one spec (`SpecGroup`, `SpecFormSet`, `SpecAdminMixin`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import construct_change_message
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from onewindow.catalog import rules
from onewindow.catalog.models import ServiceItemVersion
from onewindow.core.errors import DomainError

VIEW_ITEM = "catalog.view_serviceitem"
ADD_ITEM = "catalog.add_serviceitem"
CHANGE_ITEM = "catalog.change_serviceitem"
PUBLISH_ITEM = "catalog.publish_serviceitem"
IMPORT_CATALOG = "catalog.import_catalog"
VIEW_BUNDLE = "catalog.view_bundle"
ADD_BUNDLE = "catalog.add_bundle"
CHANGE_BUNDLE = "catalog.change_bundle"


def center_of(request: HttpRequest) -> Any:
    """The Center of the signed-in account (None when it has none)."""
    return getattr(request.user, "center", None)


def center_id_of(request: HttpRequest) -> int:
    """The id of the account's center; 0 (no center has it) when it has none."""
    return getattr(request.user, "center_id", None) or 0


def messages_of(exc: DomainError) -> list[str]:
    details = exc.details
    if isinstance(details, dict):
        found = [m for msgs in details.values() for m in (msgs if isinstance(msgs, list) else [msgs])]
        return [str(m) for m in found] or [exc.message]
    return [exc.message]


# --- validating a whole page (main form + inline formsets) as one spec -----
class SpecGroup:
    """The main form and inline formsets of one admin page. The admin builds every formset before
    it cleans the main form, so the main form's clean() validates the page as a whole
    (`check_page`): it cleans the formsets, turns the page into a spec, runs the rules and puts
    each error on the field or row it concerns (which makes the page invalid)."""

    def __init__(self, model_admin: Any, request: HttpRequest) -> None:
        self.model_admin = model_admin
        self.request = request
        self.form: forms.ModelForm | None = None
        self.formsets: list[SpecFormSet] = []
        self.done = False

    def validate(self) -> None:
        if self.done or self.form is None:
            return
        self.done = True
        if not self.form.is_valid():
            return
        for formset in self.formsets:
            formset.is_valid()
        if any(_own_errors(fs) for fs in self.formsets):
            return
        self.model_admin.check_page(self.request, self)

    def formset(self, key: str) -> SpecFormSet:
        return next(fs for fs in self.formsets if fs.spec_key == key)


def _own_errors(formset: Any) -> bool:
    return any(form.errors for form in formset.forms) or bool(formset.non_form_errors())


def spec_group_of(model_admin: Any, request: HttpRequest) -> SpecGroup:
    group = getattr(request, "_catalog_spec_group", None)
    if group is None or group.model_admin is not model_admin:
        group = SpecGroup(model_admin, request)
        request._catalog_spec_group = group  # type: ignore[attr-defined]
    return group


class SpecFormSet(BaseInlineFormSet):
    spec_key = ""

    def __init__(self, *args: Any, spec_group: SpecGroup | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec_group = spec_group
        if spec_group is not None:
            spec_group.formsets.append(self)

    def rows(self) -> list[forms.ModelForm]:
        """The kept rows in position order (ties: the order on the page)."""
        kept = [
            form
            for form in self.forms
            if getattr(form, "cleaned_data", None)
            and not (self.can_delete and form.cleaned_data.get(DELETION_FIELD_NAME, False))
            and (form.has_changed() or form.instance.pk)
        ]
        return sorted(kept, key=lambda f: (f.cleaned_data.get("position") or 0, self.forms.index(f)))

    def add_non_form_error(self, message: str) -> None:
        self.non_form_errors().append(message)  # the formset is cleaned: its own error list


class SpecAdminMixin:
    """Wires the main form and the inline formsets of a change page into one SpecGroup."""

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change, **kwargs)  # type: ignore[misc]
        model_admin = self

        class GroupedForm(form_class):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                if self.is_bound:
                    spec_group_of(model_admin, request).form = self

            def clean(self) -> Any:
                data = super().clean()
                if self.is_bound:
                    spec_group_of(model_admin, request).validate()
                return data

        return GroupedForm

    def get_formset_kwargs(self, request: HttpRequest, obj: Any, inline: Any, prefix: str) -> dict[str, Any]:
        params = super().get_formset_kwargs(request, obj, inline, prefix)  # type: ignore[misc]
        if request.method == "POST" and issubclass(inline.formset, SpecFormSet):
            params["spec_group"] = spec_group_of(self, request)
        return params

    def check_page(self, request: HttpRequest, group: SpecGroup) -> None:
        raise NotImplementedError

    def construct_change_message(
        self, request: HttpRequest, form: Any, formsets: Any, add: bool = False
    ) -> Any:
        # The inline rows are saved by the service, not by the formsets: log the main form only.
        return construct_change_message(form, [], add)

    @staticmethod
    def place_errors(
        group: SpecGroup,
        errors: Iterable[rules.RuleError],
        *,
        form_fields: dict[str, str],
        row_fields: dict[str, dict[str, str]],
        rows: dict[str, list[forms.ModelForm]],
    ) -> None:
        """Put each rule error on its field: top-level keys on the main form, "key.N.field" on
        the N-th row of the inline `key`, a whole-list error ("steps") above that inline."""
        assert group.form is not None
        for error in errors:
            parts = error.field.split(".") if error.field else []
            head = parts[0] if parts else ""
            if head in rows:
                formset = group.formset(head)
                if len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) <= len(rows[head]):
                    form = rows[head][int(parts[1]) - 1]
                    name = row_fields.get(head, {}).get(parts[2], parts[2])
                    form.add_error(name if name in form.fields else None, error.message)
                else:
                    formset.add_non_form_error(error.message)
                continue
            name = form_fields.get(head, head)
            group.form.add_error(name if name in group.form.fields else None, error.message)


class CatalogInline(admin.TabularInline):
    """Inline rows are edited with their parent: the parent's permissions apply."""

    extra = 0
    parent_change_permission = CHANGE_ITEM
    parent_add_permission = ADD_ITEM
    parent_view_permission = VIEW_ITEM

    def _editable(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None:
            return request.user.has_perm(self.parent_add_permission)
        if isinstance(obj, ServiceItemVersion) and obj.status != ServiceItemVersion.Status.DRAFT:
            return False
        return request.user.has_perm(self.parent_change_permission)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(self.parent_view_permission)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(request, obj)


def run_each(request: HttpRequest, objects: Iterable[Any], action: Callable[[Any], Any], done: str) -> None:
    """Run a service per selected object; each failure becomes an error message."""
    for obj in objects:
        label = str(obj)
        try:
            action(obj)
        except DomainError as exc:
            for message in messages_of(exc):
                messages.error(request, f"{label}: {message}")
        else:
            messages.success(request, done % {"object": label})

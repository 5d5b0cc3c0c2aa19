"""The bundle admin (一件事): a bundle is edited on one page with its phases, items, single-form
fields and materials, checked by `rules.check_bundle` and saved with `services.bundle_save`; the
warnings of `rules.bundle_warnings` are shown as warning messages after the save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onewindow.catalog import rules, services
from onewindow.catalog.admin.pages import (
    ADD_BUNDLE,
    CHANGE_BUNDLE,
    VIEW_BUNDLE,
    CatalogInline,
    SpecAdminMixin,
    SpecFormSet,
    SpecGroup,
    center_id_of,
    center_of,
    messages_of,
    spec_group_of,
)
from onewindow.catalog.models import (
    Bundle,
    BundleField,
    BundleItem,
    BundleMaterial,
    BundlePhase,
    BundleQuestion,
    ServiceItem,
)
from onewindow.core.errors import DomainError
from onewindow.org.models import Department
from onewindow.org.selectors import request_account, scope_queryset


# --- bundles --------------------------------------------------------------
class PhaseFormSet(SpecFormSet):
    spec_key = "phases"


class BundleItemFormSet(SpecFormSet):
    spec_key = "items"


class BundleFieldFormSet(SpecFormSet):
    spec_key = "fields"


class BundleMaterialFormSet(SpecFormSet):
    spec_key = "materials"


class BundleQuestionFormSet(SpecFormSet):
    spec_key = "questions"


class BundleInline(CatalogInline):
    parent_change_permission = CHANGE_BUNDLE
    parent_add_permission = ADD_BUNDLE
    parent_view_permission = VIEW_BUNDLE


class PhaseInline(BundleInline):
    model = BundlePhase
    formset = PhaseFormSet
    fields = ("position", "name", "promised_limit", "merge_with_previous")


class BundleItemForm(forms.ModelForm):
    phase_name = forms.CharField(
        label=_("phase"), max_length=50, required=False, help_text=_("The name of one of the phases above.")
    )

    class Meta:
        model = BundleItem
        fields = ("position", "item")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.phase_id:
            self.fields["phase_name"].initial = self.instance.phase.name


class BundleItemInline(BundleInline):
    model = BundleItem
    form = BundleItemForm
    formset = BundleItemFormSet
    fields = ("position", "item", "phase_name")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "item":
            kwargs["queryset"] = ServiceItem.objects.filter(center_id=center_id_of(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class BundleFieldForm(forms.ModelForm):
    mappings_text = forms.CharField(
        label=_("mappings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 30}),
        help_text=_("One per line: ITEM_CODE=field name in that item's application."),
    )

    class Meta:
        model = BundleField
        fields = ("position", "key", "label", "field_type", "required", "choices")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["mappings_text"].initial = "\n".join(
                f"{m.item.code}={m.target}" for m in self.instance.mappings.select_related("item")
            )

    def clean_mappings_text(self) -> list[dict[str, str]]:
        mappings = []
        for line in (self.cleaned_data.get("mappings_text") or "").splitlines():
            if not line.strip():
                continue
            code, sep, target = line.partition("=")
            if not sep:
                raise forms.ValidationError(
                    gettext("Write each mapping as ITEM_CODE=field name; this line has no “=”: %(line)s")
                    % {"line": line.strip()}
                )
            mappings.append({"item_code": code.strip(), "target": target.strip()})
        return mappings

    def validate_unique(self) -> None:
        pass  # the bundle is saved as a whole by bundle_save; the rules check the keys


class BundleFieldInline(BundleInline):
    model = BundleField
    form = BundleFieldForm
    formset = BundleFieldFormSet
    fields = ("position", "key", "label", "field_type", "required", "choices", "mappings_text")


class BundleMaterialInline(BundleInline):
    model = BundleMaterial
    formset = BundleMaterialFormSet
    fields = ("position", "name", "requirement", "form", "copies", "items")

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "items":
            kwargs["queryset"] = ServiceItem.objects.filter(center_id=center_id_of(request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class BundleQuestionForm(forms.ModelForm):
    options_text = forms.CharField(
        label=_("options"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 40}),
        help_text=_(
            "One per line: value=label: the codes of the items this answer selects, separated by "
            "commas (e.g. yes=Yes: GA-001)."
        ),
    )

    class Meta:
        model = BundleQuestion
        fields = ("position", "key", "text")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["options_text"].initial = "\n".join(
                f"{o.value}={o.label}: {', '.join(bi.item.code for bi in o.items.select_related('item'))}"
                for o in self.instance.options.all()
            )

    def clean_options_text(self) -> list[dict[str, Any]]:
        options = []
        for line in (self.cleaned_data.get("options_text") or "").splitlines():
            if not line.strip():
                continue
            value, sep, rest = line.partition("=")
            if not sep:
                raise forms.ValidationError(
                    gettext("Write each option as value=label: item codes; this line has no “=”: %(line)s")
                    % {"line": line.strip()}
                )
            label, _colon, codes = rest.replace("：", ":").partition(":")
            options.append(
                {
                    "value": value.strip(),
                    "label": label.strip(),
                    "item_codes": [c.strip() for c in codes.replace("，", ",").split(",") if c.strip()],
                }
            )
        return options

    def validate_unique(self) -> None:
        pass  # the bundle is saved as a whole by bundle_save; the rules check the keys


class BundleQuestionInline(BundleInline):
    model = BundleQuestion
    form = BundleQuestionForm
    formset = BundleQuestionFormSet
    fields = ("position", "key", "text", "options_text")


class BundleForm(forms.ModelForm):
    class Meta:
        model = Bundle
        fields = ("code", "name", "description", "lead_department", "promised_limit", "active")

    def validate_unique(self) -> None:
        pass  # checked by check_page with a message that says what to fix


@admin.register(Bundle)
class BundleAdmin(SpecAdminMixin, admin.ModelAdmin):
    form = BundleForm
    inlines = (
        PhaseInline,
        BundleItemInline,
        BundleFieldInline,
        BundleMaterialInline,
        BundleQuestionInline,
    )
    list_display = ("code", "name", "lead_department", "promised_limit", "active")
    list_filter = ("active",)
    search_fields = ("code", "name")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("code",) if obj is not None else ()

    def get_queryset(self, request: HttpRequest) -> QuerySet[Bundle]:
        qs = super().get_queryset(request).select_related("lead_department")
        return scope_queryset(qs, request.user, department_field="lead_department")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "lead_department":
            kwargs["queryset"] = Department.objects.filter(center_id=center_id_of(request), active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(VIEW_BUNDLE)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(ADD_BUNDLE)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(CHANGE_BUNDLE)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # untick "active" instead: cases may refer to the bundle

    def _spec(self, group: SpecGroup) -> tuple[dict[str, Any], dict[str, list[forms.ModelForm]]]:
        assert group.form is not None
        data = group.form.cleaned_data
        instance = group.form.instance
        rows = {
            key: group.formset(key).rows() for key in ("phases", "items", "fields", "materials", "questions")
        }
        spec = {
            "code": instance.code if instance.pk else (data.get("code") or "").strip(),
            "name": data.get("name"),
            "description": data.get("description"),
            "lead_department_code": data["lead_department"].code if data.get("lead_department") else "",
            "promised_limit": data.get("promised_limit"),
            "active": bool(data.get("active")),
            "phases": [
                {k: f.cleaned_data.get(k) for k in ("name", "promised_limit", "merge_with_previous")}
                for f in rows["phases"]
            ],
            "items": [
                {
                    "item_code": f.cleaned_data["item"].code if f.cleaned_data.get("item") else "",
                    "phase": f.cleaned_data.get("phase_name") or None,
                }
                for f in rows["items"]
            ],
            "fields": [
                {
                    **{
                        k: f.cleaned_data.get(k)
                        for k in ("key", "label", "field_type", "required", "choices")
                    },
                    "mappings": f.cleaned_data.get("mappings_text") or [],
                }
                for f in rows["fields"]
            ],
            "materials": [
                {
                    **{k: f.cleaned_data.get(k) for k in ("name", "requirement", "form", "copies")},
                    "item_codes": [i.code for i in f.cleaned_data.get("items") or []],
                }
                for f in rows["materials"]
            ],
            "questions": [
                {
                    "key": f.cleaned_data.get("key"),
                    "text": f.cleaned_data.get("text"),
                    "options": f.cleaned_data.get("options_text") or [],
                }
                for f in rows["questions"]
            ],
        }
        return spec, rows

    def check_page(self, request: HttpRequest, group: SpecGroup) -> None:
        assert group.form is not None
        center = center_of(request) if group.form.instance.pk is None else group.form.instance.center
        if center is None:
            group.form.add_error(None, gettext("Your account belongs to no center: it cannot edit bundles."))
            return
        spec, rows = self._spec(group)
        for key, what in (("phases", gettext("phase")), ("materials", gettext("material"))):
            message = rules.check_positions([f.cleaned_data["position"] for f in rows[key]], what=what)
            if message:
                group.formset(key).add_non_form_error(message)
        errors = rules.check_bundle(spec, services.catalog_codes(center))
        if (
            group.form.instance.pk is None
            and Bundle.objects.filter(center=center, code=spec["code"]).exists()
        ):
            errors.append(
                rules.RuleError(
                    "code",
                    gettext(
                        "Code %(code)s is already used by a bundle of this center: codes must be unique "
                        "within a center."
                    )
                    % {"code": spec["code"]},
                )
            )
        # Mapping errors ("fields.N.mappings.M.x") belong to the field row's mapping text, option
        # errors ("questions.N.options…") to the question row's option text.
        placed = [
            rules.RuleError(".".join([*e.field.split(".")[:2], "mappings_text"]), e.message)
            if ".mappings." in e.field
            else rules.RuleError(".".join([*e.field.split(".")[:2], "options_text"]), e.message)
            if e.field.startswith("questions.") and ".options" in e.field
            else e
            for e in errors
        ]
        self.place_errors(
            group,
            placed,
            form_fields={"lead_department_code": "lead_department"},
            row_fields={
                "items": {"item_code": "item", "phase": "phase_name"},
                "materials": {"item_codes": "items"},
            },
            rows=rows,
        )
        group.spec = spec  # type: ignore[attr-defined]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        pass  # saved with the inlines in save_related, through the service

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        spec = getattr(spec_group_of(self, request), "spec", None) or {}
        center = form.instance.center if form.instance.pk else center_of(request)
        try:
            bundle = services.bundle_save(center=center, spec=spec, actor=request_account(request))
        except DomainError as exc:
            transaction.set_rollback(True)
            for message in messages_of(exc):
                messages.error(request, message)
            return
        form.instance.pk = bundle.pk
        form.instance.center = bundle.center
        # Saved, but likely a mistake (e.g. a critical path longer than the promised limit).
        for warning in rules.bundle_warnings(spec, services.catalog_codes(bundle.center)):
            messages.warning(request, warning.message)

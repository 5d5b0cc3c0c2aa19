"""The item version admin: a draft is edited on one page with its materials and steps, checked
as one spec by `rules.check_item` and saved with `services.item_save_draft`; published and
superseded versions are read-only; publish, new draft and discard are actions."""

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
    ADD_ITEM,
    CHANGE_ITEM,
    PUBLISH_ITEM,
    VIEW_ITEM,
    CatalogInline,
    SpecAdminMixin,
    SpecFormSet,
    SpecGroup,
    center_id_of,
    center_of,
    messages_of,
    run_each,
    spec_group_of,
)
from onewindow.catalog.models import Material, ProcessStep, ServiceItem, ServiceItemVersion
from onewindow.catalog.spec import ITEM_VERSION_FIELDS, MATERIAL_FILE_KEYS, MATERIAL_KEYS
from onewindow.core.errors import DomainError
from onewindow.org.models import Department, Window
from onewindow.org.selectors import request_account, scope_queryset


# --- service items and versions -------------------------------------------
class MaterialFormSet(SpecFormSet):
    spec_key = "materials"


class StepFormSet(SpecFormSet):
    spec_key = "steps"


class MaterialInline(CatalogInline):
    model = Material
    formset = MaterialFormSet
    fields = ("position", *MATERIAL_KEYS, *MATERIAL_FILE_KEYS)


class ProcessStepInline(CatalogInline):
    model = ProcessStep
    formset = StepFormSet
    fields = ("position", "name", "kind", "post", "limit_days", "on_site")


class VersionForm(forms.ModelForm):
    code = forms.CharField(
        label=_("code"),
        max_length=40,
        required=False,
        help_text=_("A new item's code, unique within the center (letters, digits, . - _)."),
    )

    class Meta:
        model = ServiceItemVersion
        fields = (*ITEM_VERSION_FIELDS, "department", "window", "themes", "change_note")

    def _get_validation_exclusions(self) -> Any:
        # "promised ≤ legal" is checked by the rules with a message that says what to fix; the
        # database constraint's generic message would only repeat it.
        exclude = super()._get_validation_exclusions()  # type: ignore[misc]
        exclude.add("promised_limit")
        return exclude


@admin.register(ServiceItemVersion)
class ServiceItemVersionAdmin(SpecAdminMixin, admin.ModelAdmin):
    form = VersionForm
    inlines = (MaterialInline, ProcessStepInline)
    list_display = (
        "item_code",
        "number",
        "name",
        "status",
        "department",
        "handling_type",
        "legal_limit",
        "promised_limit",
        "published_at",
    )
    list_filter = ("status", "handling_type", "kind")
    search_fields = ("item__code", "name")
    list_select_related = ("item", "department")
    actions = ("publish_versions", "new_drafts", "discard_drafts")
    readonly_fields = (
        "item_link",
        "number",
        "status",
        "created_by",
        "created_at",
        "published_at",
        "published_by",
    )
    filter_horizontal = ("themes",)

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        head = ("code",) if obj is None else ("item_link", "number", "status")
        return (
            (None, {"fields": (*head, "name", "kind", "department", "window", "handling_type")}),
            (
                _("time limits (working days)"),
                {"fields": ("legal_limit", "promised_limit", "deemed_approval_days")},
            ),
            (
                _("service guide"),
                {"fields": ("legal_basis", "conditions", "procedure", "fees", "fee_basis", "contact")},
            ),
            (
                _("flags"),
                {
                    "fields": (
                        "online_allowed",
                        "appointment_allowed",
                        "visits_required",
                        "green_channel_eligible",
                        "handled_at_center",
                        "decided_at_window",
                    )
                },
            ),
            (_("validity and themes"), {"fields": ("valid_from", "valid_to", "themes")}),
            (
                _("version"),
                {
                    "fields": (
                        "change_note",
                        *(
                            ()
                            if obj is None
                            else ("created_by", "created_at", "published_at", "published_by")
                        ),
                    )
                },
            ),
        )

    @admin.display(description=_("code"), ordering="item__code")
    def item_code(self, obj: ServiceItemVersion) -> str:
        return obj.item.code

    @admin.display(description=_("service item"))
    def item_link(self, obj: ServiceItemVersion) -> str:
        return obj.item.code

    # permissions: the catalog is edited with the service item permissions
    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(VIEW_ITEM) or request.user.has_perm(CHANGE_ITEM)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(ADD_ITEM)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.status != ServiceItemVersion.Status.DRAFT:
            return False  # published versions are immutable
        return request.user.has_perm(CHANGE_ITEM)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # drafts are discarded with the action, through the service

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(PUBLISH_ITEM)

    def has_edit_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(CHANGE_ITEM)

    def get_queryset(self, request: HttpRequest) -> QuerySet[ServiceItemVersion]:
        qs = super().get_queryset(request).select_related("item", "department")
        return scope_queryset(qs, request.user, department_field="department", center_field="item__center")

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        center_id = center_id_of(request)
        if db_field.name == "department":
            kwargs["queryset"] = Department.objects.filter(center_id=center_id, active=True)
        elif db_field.name == "window":
            kwargs["queryset"] = Window.objects.filter(center_id=center_id, active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    # validation and saving through the service
    def _spec(self, group: SpecGroup) -> tuple[dict[str, Any], dict[str, list[forms.ModelForm]]]:
        assert group.form is not None
        data = group.form.cleaned_data
        instance = group.form.instance
        code = instance.item.code if instance.pk else (data.get("code") or "").strip()
        spec: dict[str, Any] = {key: data.get(key) for key in ITEM_VERSION_FIELDS}
        spec["code"] = code
        spec["department_code"] = data["department"].code if data.get("department") else ""
        spec["window_code"] = data["window"].code if data.get("window") else ""
        spec["themes"] = [t.code for t in data.get("themes") or []]
        rows = {"materials": group.formset("materials").rows(), "steps": group.formset("steps").rows()}
        spec["materials"] = []
        for form in rows["materials"]:
            d = form.cleaned_data
            material = {key: d.get(key) for key in MATERIAL_KEYS}
            for key in MATERIAL_FILE_KEYS:
                value = d.get(key)
                material[key] = value.name if hasattr(value, "url") and value else value
            spec["materials"].append(material)
        spec["steps"] = [
            {
                "name": f.cleaned_data.get("name"),
                "kind": f.cleaned_data.get("kind"),
                "post_code": f.cleaned_data["post"].code if f.cleaned_data.get("post") else "",
                "limit_days": f.cleaned_data.get("limit_days"),
                "on_site": bool(f.cleaned_data.get("on_site")),
            }
            for f in rows["steps"]
        ]
        return spec, rows

    def check_page(self, request: HttpRequest, group: SpecGroup) -> None:
        assert group.form is not None
        center = center_of(request) if group.form.instance.pk is None else group.form.instance.item.center
        if center is None:
            group.form.add_error(
                None, gettext("Your account belongs to no center: it cannot edit the catalog.")
            )
            return
        spec, rows = self._spec(group)
        for key, what in (("materials", gettext("material")), ("steps", gettext("step"))):
            message = rules.check_positions([f.cleaned_data["position"] for f in rows[key]], what=what)
            if message:
                group.formset(key).add_non_form_error(message)
        errors = rules.check_item(spec, services.catalog_codes(center))
        if group.form.instance.pk is None and spec["code"]:
            taken = rules.check_new_item_code(
                spec["code"], ServiceItem.objects.filter(center=center).values_list("code", flat=True)
            )
            if taken:
                errors.append(rules.RuleError("code", taken))
        self.place_errors(
            group,
            errors,
            form_fields={"department_code": "department", "window_code": "window"},
            row_fields={"steps": {"post_code": "post"}},
            rows=rows,
        )
        group.spec = spec  # type: ignore[attr-defined]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        pass  # saved with the inlines in save_related, through the service

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        spec = getattr(spec_group_of(self, request), "spec", None) or {}
        center = form.instance.item.center if form.instance.pk else center_of(request)
        try:
            draft = services.item_save_draft(
                center=center,
                spec=spec,
                actor=request_account(request),
                change_note=form.cleaned_data.get("change_note") or "",
            )
        except DomainError as exc:
            transaction.set_rollback(True)
            for message in messages_of(exc):
                messages.error(request, message)
            return
        form.instance.pk = draft.pk
        form.instance.item = draft.item
        form.instance.number = draft.number

    # actions
    @admin.action(description=_("Publish the selected drafts"), permissions=["publish"])
    def publish_versions(self, request: HttpRequest, queryset: QuerySet[ServiceItemVersion]) -> None:
        run_each(
            request,
            queryset,
            lambda v: services.item_publish(version=v, actor=request_account(request)),
            gettext("Published %(object)s."),
        )

    @admin.action(description=_("New draft from the published version"), permissions=["edit"])
    def new_drafts(self, request: HttpRequest, queryset: QuerySet[ServiceItemVersion]) -> None:
        run_each(
            request,
            queryset,
            lambda v: services.item_new_draft(item=v.item, actor=request_account(request)),
            gettext("Created a draft of %(object)s."),
        )

    @admin.action(description=_("Discard the selected drafts"), permissions=["edit"])
    def discard_drafts(self, request: HttpRequest, queryset: QuerySet[ServiceItemVersion]) -> None:
        run_each(
            request,
            queryset,
            lambda v: services.item_discard_draft(version=v, actor=request_account(request)),
            gettext("Discarded %(object)s."),
        )

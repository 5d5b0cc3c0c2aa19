"""The catalog admin (事项目录管理).

Every change goes through the services, so it is validated by the rules and audited:

- a draft version is edited on one page with its materials and steps; on submit the page is
  turned into an item spec, checked as a whole with `rules.check_item` (errors are shown on the
  fields and rows they concern) and saved with `item_save_draft`;
- published and superseded versions are read-only;
- "publish", "new draft from the published version" and "discard draft" are actions that call
  the services and report failures as messages;
- a bundle is edited the same way and saved with `bundle_save`;
- the catalog workbook is downloaded and uploaded from the service item list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import construct_change_message
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onewindow.catalog import rules, services
from onewindow.catalog.excel import catalog_export_workbook, catalog_import_workbook, error_report
from onewindow.catalog.models import (
    Bundle,
    BundleField,
    BundleItem,
    BundleMaterial,
    BundlePhase,
    Material,
    ProcessStep,
    ServiceItem,
    ServiceItemVersion,
    Theme,
)
from onewindow.core import clock
from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.org.models import Department, Window
from onewindow.org.selectors import scope_queryset

VIEW_ITEM = "catalog.view_serviceitem"
ADD_ITEM = "catalog.add_serviceitem"
CHANGE_ITEM = "catalog.change_serviceitem"
PUBLISH_ITEM = "catalog.publish_serviceitem"
IMPORT_CATALOG = "catalog.import_catalog"
VIEW_BUNDLE = "catalog.view_bundle"
ADD_BUNDLE = "catalog.add_bundle"
CHANGE_BUNDLE = "catalog.change_bundle"


def _center_of(request: HttpRequest) -> Any:
    """The Center of the signed-in account (None when it has none)."""
    return getattr(request.user, "center", None)


def _center_id(request: HttpRequest) -> int:
    """The id of the account's center; 0 (no center has it) when it has none."""
    return getattr(request.user, "center_id", None) or 0


def _messages_of(exc: DomainError) -> list[str]:
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
    return any(form.errors for form in formset.forms) or bool(formset._non_form_errors)


def _group(model_admin: Any, request: HttpRequest) -> SpecGroup:
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
            and not (self.can_delete and self._should_delete_form(form))  # type: ignore[attr-defined]
            and (form.has_changed() or form.instance.pk)
        ]
        return sorted(kept, key=lambda f: (f.cleaned_data.get("position") or 0, self.forms.index(f)))

    def add_non_form_error(self, message: str) -> None:
        self._non_form_errors.append(message)  # type: ignore[attr-defined]


class SpecAdminMixin:
    """Wires the main form and the inline formsets of a change page into one SpecGroup."""

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change, **kwargs)  # type: ignore[misc]
        model_admin = self

        class GroupedForm(form_class):  # type: ignore[misc, valid-type]
            def __init__(self, *args: Any, **kw: Any) -> None:
                super().__init__(*args, **kw)
                if self.is_bound:
                    _group(model_admin, request).form = self

            def clean(self) -> Any:
                data = super().clean()
                if self.is_bound:
                    _group(model_admin, request).validate()
                return data

        return GroupedForm

    def get_formset_kwargs(self, request: HttpRequest, obj: Any, inline: Any, prefix: str) -> dict[str, Any]:
        params = super().get_formset_kwargs(request, obj, inline, prefix)  # type: ignore[misc]
        if request.method == "POST" and issubclass(inline.formset, SpecFormSet):
            params["spec_group"] = _group(self, request)
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


# --- service items and versions -------------------------------------------
class MaterialFormSet(SpecFormSet):
    spec_key = "materials"


class StepFormSet(SpecFormSet):
    spec_key = "steps"


class MaterialInline(CatalogInline):
    model = Material
    formset = MaterialFormSet
    fields = (
        "position",
        "name",
        "requirement",
        "condition",
        "form",
        "copies",
        "shared_result_item_code",
        "note",
        "template_file",
        "sample_file",
    )


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
        fields = (
            "name",
            "kind",
            "department",
            "window",
            "handling_type",
            "legal_limit",
            "promised_limit",
            "legal_basis",
            "conditions",
            "procedure",
            "fees",
            "fee_basis",
            "contact",
            "online_allowed",
            "appointment_allowed",
            "visits_required",
            "green_channel_eligible",
            "deemed_approval_days",
            "handled_at_center",
            "decided_at_window",
            "valid_from",
            "valid_to",
            "themes",
            "change_note",
        )

    def _get_validation_exclusions(self) -> Any:
        # "promised ≤ legal" is checked by the rules with a message that says what to fix; the
        # database constraint's generic message would only repeat it.
        exclude = super()._get_validation_exclusions()  # type: ignore[misc]
        exclude.add("promised_limit")
        return exclude


SPEC_TEXT_FIELDS = (
    "name",
    "kind",
    "handling_type",
    "legal_limit",
    "promised_limit",
    "legal_basis",
    "conditions",
    "procedure",
    "fees",
    "fee_basis",
    "contact",
    "online_allowed",
    "appointment_allowed",
    "visits_required",
    "green_channel_eligible",
    "deemed_approval_days",
    "handled_at_center",
    "decided_at_window",
    "valid_from",
    "valid_to",
)


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
        center_id = _center_id(request)
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
        spec: dict[str, Any] = {key: data.get(key) for key in SPEC_TEXT_FIELDS}
        spec["code"] = code
        spec["department_code"] = data["department"].code if data.get("department") else ""
        spec["window_code"] = data["window"].code if data.get("window") else ""
        spec["themes"] = [t.code for t in data.get("themes") or []]
        rows = {"materials": group.formset("materials").rows(), "steps": group.formset("steps").rows()}
        spec["materials"] = []
        for form in rows["materials"]:
            d = form.cleaned_data
            material = {
                key: d.get(key)
                for key in (
                    "name",
                    "requirement",
                    "condition",
                    "form",
                    "copies",
                    "shared_result_item_code",
                    "note",
                )
            }
            for key in services.FILE_KEYS:
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
        center = _center_of(request) if group.form.instance.pk is None else group.form.instance.item.center
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
        spec = getattr(_group(self, request), "spec", None) or {}
        center = form.instance.item.center if form.instance.pk else _center_of(request)
        try:
            draft = services.item_save_draft(
                center=center,
                spec=spec,
                actor=request.user,
                change_note=form.cleaned_data.get("change_note") or "",
            )
        except DomainError as exc:
            transaction.set_rollback(True)
            for message in _messages_of(exc):
                messages.error(request, message)
            return
        form.instance.pk = draft.pk
        form.instance.item = draft.item
        form.instance.number = draft.number

    # actions
    @admin.action(description=_("Publish the selected drafts"), permissions=["publish"])
    def publish_versions(self, request: HttpRequest, queryset: QuerySet[ServiceItemVersion]) -> None:
        _run(
            request,
            queryset,
            lambda v: services.item_publish(version=v, actor=request.user),
            gettext("Published %(object)s."),
        )

    @admin.action(description=_("New draft from the published version"), permissions=["edit"])
    def new_drafts(self, request: HttpRequest, queryset: QuerySet[ServiceItemVersion]) -> None:
        _run(
            request,
            queryset,
            lambda v: services.item_new_draft(item=v.item, actor=request.user),
            gettext("Created a draft of %(object)s."),
        )

    @admin.action(description=_("Discard the selected drafts"), permissions=["edit"])
    def discard_drafts(self, request: HttpRequest, queryset: QuerySet[ServiceItemVersion]) -> None:
        _run(
            request,
            queryset,
            lambda v: services.item_discard_draft(version=v, actor=request.user),
            gettext("Discarded %(object)s."),
        )


def _run(request: HttpRequest, objects: Iterable[Any], action: Callable[[Any], Any], done: str) -> None:
    """Run a service per selected object; each failure becomes an error message."""
    for obj in objects:
        label = str(obj)
        try:
            action(obj)
        except DomainError as exc:
            for message in _messages_of(exc):
                messages.error(request, f"{label}: {message}")
        else:
            messages.success(request, done % {"object": label})


class VersionInline(admin.TabularInline):
    model = ServiceItemVersion
    fk_name = "item"
    fields = ("number", "name", "status", "handling_type", "legal_limit", "promised_limit", "published_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("-number",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(VIEW_ITEM)


class WorkbookUploadForm(forms.Form):
    workbook = forms.FileField(label=_("catalog workbook (.xlsx)"))


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "department",
        "handling_type",
        "legal_limit",
        "promised_limit",
        "compression",
        "version",
        "has_draft",
    )
    search_fields = ("code", "published_version__name")
    list_filter = ("published_version__handling_type", "published_version__department")
    fields = ("code", "center", "published_version")
    readonly_fields = fields
    inlines = (VersionInline,)
    actions = ("publish_drafts", "new_drafts")

    def get_queryset(self, request: HttpRequest) -> QuerySet[ServiceItem]:
        drafts = ServiceItemVersion.objects.filter(
            item=OuterRef("pk"), status=ServiceItemVersion.Status.DRAFT
        )
        qs = (
            super()
            .get_queryset(request)
            .select_related("center", "published_version", "published_version__department")
            .annotate(draft_exists=Exists(drafts))
        )
        return scope_queryset(qs, request.user, department_field="published_version__department")

    @admin.display(description=_("name"))
    def name(self, obj: ServiceItem) -> str:
        return obj.published_version.name if obj.published_version else "—"

    @admin.display(description=_("department"))
    def department(self, obj: ServiceItem) -> str:
        return obj.published_version.department.name if obj.published_version else "—"

    @admin.display(description=_("handling type"))
    def handling_type(self, obj: ServiceItem) -> str:
        return obj.published_version.get_handling_type_display() if obj.published_version else "—"

    @admin.display(description=_("legal limit"))
    def legal_limit(self, obj: ServiceItem) -> Any:
        return obj.published_version.legal_limit if obj.published_version else "—"

    @admin.display(description=_("promised limit"))
    def promised_limit(self, obj: ServiceItem) -> Any:
        return obj.published_version.promised_limit if obj.published_version else "—"

    @admin.display(description=_("compression"))
    def compression(self, obj: ServiceItem) -> str:
        ratio = obj.published_version.compression if obj.published_version else None
        return "—" if ratio is None else f"{ratio:.0%}"

    @admin.display(description=_("published version"))
    def version(self, obj: ServiceItem) -> Any:
        return obj.published_version.number if obj.published_version else "—"

    @admin.display(description=_("has a draft"), boolean=True)
    def has_draft(self, obj: ServiceItem) -> bool:
        return bool(getattr(obj, "draft_exists", False))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(VIEW_ITEM)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # a new item is added as its first draft version

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # versions are edited, not the identity

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(PUBLISH_ITEM)

    def has_edit_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(CHANGE_ITEM)

    @admin.action(description=_("Publish the draft of the selected items"), permissions=["publish"])
    def publish_drafts(self, request: HttpRequest, queryset: QuerySet[ServiceItem]) -> None:
        for item in queryset:
            draft = ServiceItemVersion.objects.filter(
                item=item, status=ServiceItemVersion.Status.DRAFT
            ).first()
            if draft is None:
                messages.warning(request, gettext("%(item)s has no draft to publish.") % {"item": item})
                continue
            _run(
                request,
                [draft],
                lambda v: services.item_publish(version=v, actor=request.user),
                gettext("Published %(object)s."),
            )

    @admin.action(description=_("New draft from the published version"), permissions=["edit"])
    def new_drafts(self, request: HttpRequest, queryset: QuerySet[ServiceItem]) -> HttpResponse | None:
        created: list[ServiceItemVersion] = []

        def make(item: ServiceItem) -> None:
            created.append(services.item_new_draft(item=item, actor=request.user))

        _run(request, queryset, make, gettext("Created a draft of %(object)s."))
        if len(created) == 1:
            return HttpResponseRedirect(
                reverse("admin:catalog_serviceitemversion_change", args=[created[0].pk])
            )
        return None

    # the catalog workbook
    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("workbook/export/", view(self.export_view), name="catalog_serviceitem_export"),
            path("workbook/import/", view(self.import_view), name="catalog_serviceitem_import"),
            *super().get_urls(),
        ]

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        extra_context = {
            **(extra_context or {}),
            "can_export_workbook": request.user.has_perm(VIEW_ITEM) and _center_id(request) != 0,
            "can_import_workbook": request.user.has_perm(IMPORT_CATALOG) and _center_id(request) != 0,
        }
        return super().changelist_view(request, extra_context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        center = _center_of(request)
        if not request.user.has_perm(VIEW_ITEM) or center is None:
            raise DjangoPermissionDenied
        data = catalog_export_workbook(center=center)
        name = f"catalog-{center.code}-{clock.today().isoformat()}.xlsx"
        response = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

    def import_view(self, request: HttpRequest) -> HttpResponse:
        center = _center_of(request)
        if not request.user.has_perm(IMPORT_CATALOG) or center is None:
            raise DjangoPermissionDenied
        report: list[str] = []
        if request.method == "POST":
            form = WorkbookUploadForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    result = catalog_import_workbook(
                        center=center, data=form.cleaned_data["workbook"].read(), actor=request.user
                    )
                except ValidationFailed as exc:
                    report = error_report(exc.details) if isinstance(exc.details, list) else []
                    messages.error(request, exc.message)
                except DomainError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, result.summary())
                    return HttpResponseRedirect(reverse("admin:catalog_serviceitem_changelist"))
        else:
            form = WorkbookUploadForm()
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Import the catalog workbook"),
            "opts": self.opts,
            "form": form,
            "report": report,
            "center": center,
        }
        return TemplateResponse(request, "admin/catalog/serviceitem/import_workbook.html", context)


# --- themes ---------------------------------------------------------------
class ThemeForm(forms.ModelForm):
    class Meta:
        model = Theme
        fields = ("code", "name", "audience", "position")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        code = self.instance.code if self.instance.pk else data.get("code")
        for error in rules.check_theme({**data, "code": code}):
            self.add_error(error.field if error.field in self.fields else None, error.message)
        return data

    def validate_unique(self) -> None:
        pass  # theme_save creates or updates by code


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    form = ThemeForm
    list_display = ("code", "name", "audience", "position")
    list_editable = ()
    search_fields = ("code", "name")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("code",) if obj is not None else ()

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(VIEW_ITEM)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(CHANGE_ITEM)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm(CHANGE_ITEM)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Theme, form: Any, change: bool) -> None:
        theme = services.theme_save(
            spec={"code": obj.code, "name": obj.name, "audience": obj.audience, "position": obj.position},
            actor=request.user,
        )
        obj.pk = theme.pk


# --- bundles --------------------------------------------------------------
class PhaseFormSet(SpecFormSet):
    spec_key = "phases"


class BundleItemFormSet(SpecFormSet):
    spec_key = "items"


class BundleFieldFormSet(SpecFormSet):
    spec_key = "fields"


class BundleMaterialFormSet(SpecFormSet):
    spec_key = "materials"


class BundleInline(CatalogInline):
    parent_change_permission = CHANGE_BUNDLE
    parent_add_permission = ADD_BUNDLE
    parent_view_permission = VIEW_BUNDLE


class PhaseInline(BundleInline):
    model = BundlePhase
    formset = PhaseFormSet
    fields = ("position", "name", "promised_limit")


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
            kwargs["queryset"] = ServiceItem.objects.filter(center_id=_center_id(request))
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
            kwargs["queryset"] = ServiceItem.objects.filter(center_id=_center_id(request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class BundleForm(forms.ModelForm):
    class Meta:
        model = Bundle
        fields = ("code", "name", "description", "lead_department", "promised_limit", "active")

    def validate_unique(self) -> None:
        pass  # checked by check_page with a message that says what to fix


@admin.register(Bundle)
class BundleAdmin(SpecAdminMixin, admin.ModelAdmin):
    form = BundleForm
    inlines = (PhaseInline, BundleItemInline, BundleFieldInline, BundleMaterialInline)
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
            kwargs["queryset"] = Department.objects.filter(center_id=_center_id(request), active=True)
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
        rows = {key: group.formset(key).rows() for key in ("phases", "items", "fields", "materials")}
        spec = {
            "code": instance.code if instance.pk else (data.get("code") or "").strip(),
            "name": data.get("name"),
            "description": data.get("description"),
            "lead_department_code": data["lead_department"].code if data.get("lead_department") else "",
            "promised_limit": data.get("promised_limit"),
            "active": bool(data.get("active")),
            "phases": [
                {"name": f.cleaned_data.get("name"), "promised_limit": f.cleaned_data.get("promised_limit")}
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
        }
        return spec, rows

    def check_page(self, request: HttpRequest, group: SpecGroup) -> None:
        assert group.form is not None
        center = _center_of(request) if group.form.instance.pk is None else group.form.instance.center
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
        # Mapping errors ("fields.N.mappings.M.x") belong to the field row's mapping text.
        placed = [
            rules.RuleError(".".join([*e.field.split(".")[:2], "mappings_text"]), e.message)
            if ".mappings." in e.field
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
        spec = getattr(_group(self, request), "spec", None) or {}
        center = form.instance.center if form.instance.pk else _center_of(request)
        try:
            bundle = services.bundle_save(center=center, spec=spec, actor=request.user)
        except DomainError as exc:
            transaction.set_rollback(True)
            for message in _messages_of(exc):
                messages.error(request, message)
            return
        form.instance.pk = bundle.pk
        form.instance.center = bundle.center

"""The service item admin: the list of items with their published version, publishing drafts,
and the catalog workbook download and upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from onewindow.catalog import services
from onewindow.catalog.admin.pages import (
    CHANGE_ITEM,
    IMPORT_CATALOG,
    PUBLISH_ITEM,
    VIEW_ITEM,
    center_id_of,
    center_of,
    run_each,
)
from onewindow.catalog.excel import catalog_export_workbook, catalog_import_workbook, error_report
from onewindow.catalog.models import ServiceItem, ServiceItemVersion
from onewindow.core import clock
from onewindow.core.errors import DomainError, ValidationFailed
from onewindow.org.selectors import request_account, scope_queryset


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
            run_each(
                request,
                [draft],
                lambda v: services.item_publish(version=v, actor=request_account(request)),
                gettext("Published %(object)s."),
            )

    @admin.action(description=_("New draft from the published version"), permissions=["edit"])
    def new_drafts(self, request: HttpRequest, queryset: QuerySet[ServiceItem]) -> HttpResponse | None:
        created: list[ServiceItemVersion] = []

        def make(item: ServiceItem) -> None:
            created.append(services.item_new_draft(item=item, actor=request_account(request)))

        run_each(request, queryset, make, gettext("Created a draft of %(object)s."))
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
            "can_export_workbook": request.user.has_perm(VIEW_ITEM) and center_id_of(request) != 0,
            "can_import_workbook": request.user.has_perm(IMPORT_CATALOG) and center_id_of(request) != 0,
        }
        return super().changelist_view(request, extra_context)

    def export_view(self, request: HttpRequest) -> HttpResponse:
        center = center_of(request)
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
        center = center_of(request)
        if not request.user.has_perm(IMPORT_CATALOG) or center is None:
            raise DjangoPermissionDenied
        report: list[str] = []
        if request.method == "POST":
            form = WorkbookUploadForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    result = catalog_import_workbook(
                        center=center,
                        data=form.cleaned_data["workbook"].read(),
                        actor=request_account(request),
                    )
                except ValidationFailed as exc:
                    report = error_report(exc.details) if isinstance(exc.details, list) else []
                    messages.error(request, exc.message)
                except DomainError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, result.summary())
                    for line in error_report(result.warnings):
                        messages.warning(request, line)
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

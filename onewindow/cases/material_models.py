"""The materials of a case and their uploaded files (a part of `cases.models`, which re-exports
these names; kept apart to keep that module readable)."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onewindow.catalog.models import Material
from onewindow.core.masking import mask_free_text


class CaseMaterial(models.Model):
    """A material handed in (or expected) for a case: one of the item version's materials or a
    free name."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="materials"
    )
    material = models.ForeignKey(
        Material,
        verbose_name=_("catalog material"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    received = models.BooleanField(_("received"), default=False)
    form = models.CharField(_("form"), max_length=20, choices=Material.Form.choices, blank=True)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    note = models.CharField(_("note"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("case material")
        verbose_name_plural = _("case materials")
        ordering = ["case", "position", "id"]

    def __str__(self) -> str:
        return self.name


ALLOWED_FILE_EXTENSIONS = ("pdf", "jpg", "jpeg", "png", "ofd", "doc", "docx", "xls", "xlsx")
MAX_FILE_SIZE = 20 * 1024 * 1024


def case_file_path(instance: CaseFile, filename: str) -> str:
    """MEDIA_ROOT/cases/<case number or receipt number>/<file name>."""
    folder = instance.case.number or instance.case.receipt_number
    return str(PurePosixPath("cases") / folder / PurePosixPath(filename).name)


class CaseFile(models.Model):
    """An uploaded file. Never served directly: a view checks the permission first."""

    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="files"
    )
    case_material = models.ForeignKey(
        CaseMaterial,
        verbose_name=_("material"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="files",
    )
    file = models.FileField(_("file"), upload_to=case_file_path, max_length=255)
    original_name = models.CharField(_("original name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        ordering = ["case", "uploaded_at", "id"]

    def __str__(self) -> str:
        return mask_free_text(self.original_name)  # a file may be named after an ID number

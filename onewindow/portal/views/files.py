"""Downloads of a published item's blank templates and filled-in samples.

Only these two catalog files are served, and only for a material of an item's published
version; anything else (case materials, other media, a path outside the catalog folders) is a
404. The file is streamed from the default storage; media is never routed directly.
"""

from __future__ import annotations

import posixpath

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _

from onewindow.catalog import selectors as catalog_selectors
from onewindow.org.models import Center
from onewindow.portal.views.base import guide_page

# kind in the URL -> (Material field, the folder its uploads live in)
KINDS = {
    "template": ("template_file", "catalog/templates/"),
    "sample": ("sample_file", "catalog/samples/"),
}


def catalog_file_name(name: str, folder: str) -> str | None:
    """`name` when it is a plain file inside `folder` of the storage, else None."""
    if not name or "\\" in name or "\x00" in name:
        return None
    normalised = posixpath.normpath(name)
    if normalised != name or not normalised.startswith(folder) or normalised.startswith("/"):
        return None
    return normalised


@guide_page
def material_file(request: HttpRequest, center: Center, code: str, position: int, kind: str) -> FileResponse:
    if kind not in KINDS:
        raise Http404(_("No such file."))
    field_name, folder = KINDS[kind]
    version = catalog_selectors.item_by_code(code, center=center)
    material = next((m for m in version.materials.all() if m.position == position), None)
    if material is None:
        raise Http404(_("No such file."))
    name = catalog_file_name(getattr(material, field_name).name or "", folder)
    if name is None or not default_storage.exists(name):
        raise Http404(_("No such file."))
    download_name = f"{material.name}{posixpath.splitext(name)[1]}"
    return FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=download_name)

"""The API's view of a bundle application (一件事 applied for online): the same schemas as an
item's (`api/online.py`), the materials numbered by their position in the bundle's list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from onewindow.api.common import local_time as _local
from onewindow.core.errors import ValidationFailed
from onewindow.core.masking import mask_id_number, mask_name
from onewindow.online import bundle_pages, selectors
from onewindow.online.models import OnlineApplication, OnlineBundleFile


def one_of(item_code: str, bundle: str, answers: dict[str, Any]) -> None:
    """An application names an item or a bundle, not both (answers go with a bundle)."""
    if not item_code.strip():
        raise ValidationFailed(
            _("Name the item or the bundle."),
            details={"item_code": [_("Name the item or the bundle.")]},
        )
    if bundle.strip() or answers:
        raise ValidationFailed(
            _("Name the item or the bundle, not both."),
            details={"bundle": [_("Name the item or the bundle, not both.")]},
        )


def file_out(row: OnlineBundleFile) -> dict[str, Any]:
    return {
        "id": row.pk,
        "material_id": row.material_position,
        "name": row.original_name,
        "size": row.size,
        "uploaded_at": _local(row.uploaded_at),
        "sent_round": row.sent_round,
    }


def bundle_out(application: OnlineApplication) -> dict[str, Any]:
    view = bundle_pages.bundle_view(application)
    bundle_case = view.bundle_case
    return {
        "id": application.pk,
        "item_code": "",
        "item_name": view.bundle.name,
        "status": application.status,
        "status_label": str(application.get_status_display()),
        "version": application.version,
        "form": application.form or {},
        "enterprise": application.enterprise.name if application.enterprise else None,
        "round": application.round,
        "prereview_due_at": _local(application.prereview_due_at),
        "submitted_at": _local(application.submitted_at),
        "receipt_number": None,
        "case_number": None,
        "case_status": bundle_case.status if bundle_case else None,
        "next_step": view.next_step,
        "materials": [
            {
                "id": m.position,
                "name": m.name,
                "requirement": m.requirement,
                "shared_from_case": None,
                "files": [file_out(f) for f in m.files],
            }
            for m in view.materials
        ],
        "rounds": [
            {
                "number": r.number,
                "submitted_at": _local(r.submitted_at),
                "due_at": _local(r.due_at),
                "reviewed_at": _local(r.reviewed_at),
                "outcome": r.outcome,
                "corrections": list(r.corrections or []),
                "reason": r.reason,
            }
            for r in view.rounds
        ],
        "bundle_code": application.bundle_code,
        "bundle_name": view.bundle.name,
        "answers": application.answers or {},
        "items": [bi.code for bi in view.items],
        "bundle_case_number": bundle_case.number if bundle_case else None,
    }


def queue_row(application: OnlineApplication, now: dt.datetime) -> dict[str, Any]:
    """A bundle application in the pre-review queue (no case yet: the applicant masked from the
    account)."""
    if application.enterprise is not None:
        name, id_number = application.enterprise.name, application.enterprise.uscc
    else:
        name, id_number = application.person.name, application.person.id_number
    return {
        "id": application.pk,
        "receipt_number": "",
        "item_code": "",
        "bundle_code": application.bundle_code,
        "item_name": application.bundle_code,
        "department": application.department.name if application.department else "",
        "applicant": mask_name(name),
        "applicant_id_number": mask_id_number(id_number),
        "round": application.round,
        "submitted_at": _local(application.submitted_at),
        "prereview_due_at": _local(application.prereview_due_at),
        "level": selectors.level(application, now),
        "version": application.version,
    }

"""Reading bundle cases: one bundle with its phases and sub-cases, the per-department view."""

from __future__ import annotations

from django.db.models import QuerySet

from onewindow.approvals.models import BundleCase, BundleSubCase


def bundle_case_by_number(number: str) -> BundleCase | None:
    return (
        BundleCase.objects.select_related("center", "bundle", "lead_department", "window")
        .filter(number=number)
        .first()
    )


def sub_cases(bundle_case: BundleCase) -> QuerySet[BundleSubCase]:
    return bundle_case.sub_cases.select_related("case", "department", "phase").order_by("position")


def bundle_of_case(case_id: int) -> BundleCase | None:
    link = BundleSubCase.objects.select_related("bundle_case").filter(case_id=case_id).first()
    return link.bundle_case if link else None

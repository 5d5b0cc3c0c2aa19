"""A notice as a PDF for staff (the "下载 PDF" link of the printable notice page): the same
permission and data scope as the page (`case.case_notice`), the same document the applicant
downloads (`cases.notice_pdf`)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from onewindow.cases import notice_pdf
from onewindow.cases.models import Notice
from onewindow.web.access import staff_page
from onewindow.web.cases.common import VIEW_CASE, case_or_none, not_found


@staff_page(VIEW_CASE)
def case_notice_pdf(request: HttpRequest, number: str, notice_number: str) -> HttpResponse:
    case = case_or_none(request, number)
    if case is None:
        return not_found(
            request, _("No case with the number %(number)s in your scope.") % {"number": number[:40]}
        )
    notice = Notice.objects.filter(case=case, number=notice_number).select_related("case__center").first()
    if notice is None:
        return not_found(request, _("No such notice on this case."))
    response = HttpResponse(
        notice_pdf.notice_pdf(notice, request=request), content_type=notice_pdf.CONTENT_TYPE
    )
    response["Content-Disposition"] = f'attachment; filename="{notice_pdf.filename(notice)}"'
    response["Cache-Control"] = "private, no-store"
    return response

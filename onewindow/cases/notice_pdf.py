"""A notice (cases.models.Notice) as a PDF: the same words as the printable page
(web/templates/web/cases/notice.html), from the same stored snapshot (`Notice.data`), so
downloading it again gives the same document.

reportlab draws it with its built-in CID font STSong-Light (Adobe's Chinese font, which every
PDF reader supplies: no font file is needed). Numbers that a reader may want to copy or search
(the notice number, the case number) are also written in Helvetica. Personal data is masked as on
the page: the snapshot holds the masked ID number, and typed text (reasons, notes) is passed
through `mask_free_text`. A QR code opens the public progress page pre-filled with the case number.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from onewindow.calendar import selectors as calendar_selectors
from onewindow.cases.evaluation_links import evaluation_link
from onewindow.cases.models import CasePause, Notice
from onewindow.core.dates import as_date, cn_date
from onewindow.core.masking import mask_free_text
from onewindow.core.public_url import public_base_url

FONT = "STSong-Light"
LATIN = "Helvetica"
CONTENT_TYPE = "application/pdf"

# The titles of the printable page (the same msgids, so the same translations).
_TITLES: dict[str, str] = {
    Notice.Kind.RECEIPT: "Receipt",
    Notice.Kind.ACCEPTANCE: "Acceptance notice",
    Notice.Kind.CORRECTION: "Correction notice (one-time notice)",
    Notice.Kind.REFUSAL: "Refusal notice",
    Notice.Kind.SPECIAL_PROCEDURE: "Special procedure notice",
    Notice.Kind.EXTENSION: "Extension notice",
    Notice.Kind.TERMINATION: "Termination notice",
}
_TENTATIVE = "That year's holiday schedule is not published yet, so the date may change when it is."
DEFAULT_RIGHTS = (
    "If you disagree with this decision, you may apply for administrative review within 60 days of "
    "receiving this notice, or bring an administrative lawsuit before the people's court within 6 months."
)


@functools.cache
def _register_font() -> None:
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def title(notice: Notice) -> str:
    """The notice's title in the current language."""
    if notice.kind == Notice.Kind.DECISION:
        if (notice.data or {}).get("decision") == "denied":
            return _("Decision not to grant the administrative license")
        return _("Decision to grant the administrative license")
    return _(_TITLES[notice.kind]) if notice.kind in _TITLES else str(notice.kind)


def filename(notice: Notice) -> str:
    return f"{notice.number}.pdf"


def progress_url(number: str, request: Any = None) -> str:
    """The public progress page for `number` (PUBLIC_BASE_URL, else the served address)."""
    return f"{public_base_url(request)}{reverse('portal:progress')}?{urlencode({'number': number})}"


def doc_date(value: Any) -> str:
    """A date in the text: 2026年3月2日 in Chinese, ISO otherwise (as the page's doc_date)."""
    day = as_date(value)
    if day is None:
        return "" if value is None else str(value)
    return cn_date(day) if (get_language() or "").lower().startswith("zh") else day.isoformat()


def _tentative(data: dict[str, Any]) -> bool:
    table = calendar_selectors.table()
    for key in ("due_date", "expected_end"):
        day = as_date(data.get(key))
        if day is not None and not table.is_confirmed(day.year):
            return True
    return False


def _instant(notice: Notice, data: dict[str, Any]) -> bool:
    if data.get("is_instant") or data.get("handling_type") == "instant":
        return True
    limit = data.get("promised_limit")
    if limit is None:
        return bool(notice.case.is_instant)
    return str(limit) == "0"


class _Qr(Flowable):
    """A QR code of `url`, `size` points wide, drawn with reportlab's own widget."""

    def __init__(self, url: str, size: float) -> None:
        super().__init__()
        self.url, self.size = url, size

    def wrap(self, *_args: Any) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        widget = QrCodeWidget(self.url, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(
            self.size, self.size, transform=[self.size / (x1 - x0), 0, 0, self.size / (y1 - y0), 0, 0]
        )
        drawing.add(widget)
        drawing.drawOn(self.canv, 0, 0)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle(
        "body", fontName=FONT, fontSize=11.5, leading=19, wordWrap="CJK", firstLineIndent=23
    )
    return {
        "body": base,
        "plain": ParagraphStyle("plain", parent=base, firstLineIndent=0),
        "small": ParagraphStyle("small", parent=base, fontSize=8.5, leading=12, firstLineIndent=0),
        "center": ParagraphStyle(
            "center", parent=base, fontSize=13, leading=18, alignment=TA_CENTER, firstLineIndent=0
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontSize=20, leading=28, alignment=TA_CENTER, firstLineIndent=0
        ),
        "number": ParagraphStyle(
            "number", parent=base, fontSize=10, leading=16, alignment=TA_CENTER, firstLineIndent=0
        ),
        "sign": ParagraphStyle("sign", parent=base, alignment=TA_RIGHT, firstLineIndent=0),
        "cell": ParagraphStyle("cell", parent=base, fontSize=10, leading=14, firstLineIndent=0),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _latin(text: str) -> str:
    """`text` (ASCII: a notice or case number) in the Latin font, inside a paragraph."""
    return f'<font name="{LATIN}">{escape(text)}</font>'


def _table(rows: list[list[str]], widths: list[float], style: ParagraphStyle) -> Table:
    table = Table([[_p(cell, style) for cell in row] for row in rows], colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


@dataclass(frozen=True)
class Block:
    """A paragraph ("p": indented text, "plain": a statement such as the rights) or a table
    ("table": `rows`, the first one the header; `widths` in millimetres)."""

    kind: str
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    widths: tuple[float, ...] = ()


@dataclass(frozen=True)
class NoticeContent:
    """What a notice says, in the current language, masked: the PDF draws it and the applicant's
    notice page (onewindow.portal.online) shows it."""

    center_name: str
    title: str
    notice_number: str
    number_label: str
    display_number: str
    addressee: str
    applicant_id_number: str
    blocks: tuple[Block, ...]
    department: str
    issued_on: str
    progress_url: str
    # the QR code “扫码评价” (cases/evaluation_links.py): "" when no occasion is open for it
    evaluation_url: str = ""


def _body(notice: Notice, data: dict[str, Any]) -> list[Block]:
    """The paragraphs of each kind, as the printable page words them."""
    kind = notice.kind
    item, code = data.get("item_name", ""), data.get("item_code", "")
    tentative = _tentative(data)
    out: list[Block] = []

    def para(text: str) -> None:
        out.append(Block("p", text))

    if kind == Notice.Kind.RECEIPT:
        para(
            _(
                "Your application for “%(item)s” (%(code)s) has been received; its receipt number is "
                "%(number)s."
            )
            % {"item": item, "code": code, "number": data.get("receipt_number", "")}
        )
    elif kind == Notice.Kind.ACCEPTANCE:
        text = _(
            "Your application for “%(item)s” (%(code)s) has been examined: the materials are complete "
            "and in the legal form, and the application is accepted."
        ) % {"item": item, "code": code}
        if data.get("deemed"):
            text += " " + _(
                "It was not answered within five working days of its receipt and therefore counts as "
                "accepted from the day it was received (《行政许可法》第32条)."
            )
        para(text)
        parts = [
            _("Accepted on %(date)s; case number %(number)s.")
            % {"date": doc_date(data.get("accepted_on")), "number": data.get("case_number", "")}
        ]
        if _instant(notice, data):
            parts.append(_("It is completed on the spot (当场办结)."))
        else:
            parts.append(
                _("We promise to complete it within %(days)s working days, by %(due)s.")
                % {"days": data.get("promised_limit", ""), "due": doc_date(data.get("due_date"))}
            )
        if tentative:
            parts.append(_(_TENTATIVE))
        parts.append(
            _(
                "Time spent on special procedures (hearing, testing, expert review …) and on correcting "
                "materials is not counted."
            )
        )
        para(" ".join(parts))
        materials = data.get("materials") or []
        if materials:
            rows = [(_("Material"), _("Handed in"), _("Copies"))] + [
                (str(m.get("name", "")), _("yes") if m.get("received") else _("no"), str(m.get("copies", "")))
                for m in materials
            ]
            out.append(Block("table", rows=tuple(rows), widths=(100, 35, 25)))
    elif kind == Notice.Kind.CORRECTION:
        para(
            _(
                "Your application for “%(item)s” (%(code)s) needs the following materials completed or "
                "corrected. This notice names everything at once (一次性告知)."
            )
            % {"item": item, "code": code}
        )
        rows = [("#", _("Material"), _("What is missing or wrong"))] + [
            (str(i), str(entry.get("name", "")), mask_free_text(str(entry.get("note", ""))))
            for i, entry in enumerate(data.get("items") or [], start=1)
        ]
        out.append(Block("table", rows=tuple(rows), widths=(12, 60, 88)))
        if data.get("reason"):
            para(_("Reason for this further request:") + " " + mask_free_text(str(data["reason"])))
        if data.get("phase") == "during_processing":
            para(_("The time limit is paused from today until the corrected materials are received."))
        else:
            para(
                _(
                    "Please bring or send the corrected materials; the application is accepted once they "
                    "are complete."
                )
            )
    elif kind == Notice.Kind.REFUSAL:
        para(
            _("Your application for “%(item)s” (%(code)s) is not accepted, for the following reason:")
            % {"item": item, "code": code}
        )
        para(mask_free_text(str(data.get("reason", ""))))
        out.append(Block("plain", mask_free_text(str(data.get("rights_statement") or _(DEFAULT_RIGHTS)))))
    elif kind == Notice.Kind.SPECIAL_PROCEDURE:
        labels = dict(CasePause.Kind.choices)
        procedure = str(labels.get(str(data.get("kind", "")), data.get("kind", "")))
        para(
            _("Your application for “%(item)s” needs a special procedure: %(kind)s (《行政许可法》第45条).")
            % {"item": item, "kind": procedure}
        )
        para(_("Reason:") + " " + mask_free_text(str(data.get("reason", ""))))
        if data.get("expected_working_days"):
            text = _("It is expected to take %(days)s working days (until about %(end)s).") % {
                "days": data["expected_working_days"],
                "end": doc_date(data.get("expected_end")),
            }
            para(text + (" " + _(_TENTATIVE) if tentative else ""))
        para(
            _(
                "The time it takes is not counted against the time limit; we will tell you when the "
                "procedure ends."
            )
        )
    elif kind == Notice.Kind.EXTENSION:
        para(
            _(
                "The handling of your application for “%(item)s” has been extended by %(days)s working "
                "days with the approval of the head of the organ (《行政许可法》第42条)."
            )
            % {"item": item, "days": data.get("days", "")}
        )
        para(_("Reason:") + " " + mask_free_text(str(data.get("reason", ""))))
        text = _("It will be completed by %(due)s.") % {"due": doc_date(data.get("due_date"))}
        para(text + (" " + _(_TENTATIVE) if tentative else ""))
    elif kind == Notice.Kind.DECISION:
        decided = doc_date(data.get("decided_on"))
        if data.get("decision") == "denied":
            para(
                _(
                    "After examination, your application for “%(item)s” (%(code)s) is not granted "
                    "(decided on %(date)s), for the following reasons:"
                )
                % {"item": item, "code": code, "date": decided}
            )
            para(mask_free_text(str(data.get("reasons", ""))))
            para(_("This decision is made under 《中华人民共和国行政许可法》第三十八条第二款."))
            out.append(Block("plain", mask_free_text(str(data.get("rights_statement") or _(DEFAULT_RIGHTS)))))
        else:
            para(
                _(
                    "After examination, your application for “%(item)s” (%(code)s) meets the legal "
                    "conditions and standards, and the administrative license is granted (decided on "
                    "%(date)s), under 《中华人民共和国行政许可法》第三十八条第一款."
                )
                % {"item": item, "code": code, "date": decided}
            )
            if notice.case.is_instant:
                para(_("The certificate is issued on the spot, with this decision."))
            else:
                para(_("The certificate will be issued within 10 working days of this decision (第44条)."))
    elif kind == Notice.Kind.TERMINATION:
        para(
            _(
                "The handling of your application for “%(item)s” has been terminated, for the following "
                "reason:"
            )
            % {"item": item}
        )
        para(mask_free_text(str(data.get("reason", ""))))
    return out


def notice_content(notice: Notice, *, request: Any = None) -> NoticeContent:
    """What `notice` says, from its snapshot, in the current language."""
    data = dict(notice.data or {})
    number = str(data.get("case_number") or data.get("receipt_number") or "")
    return NoticeContent(
        center_name=str(data.get("center_name") or notice.case.center.name),
        title=title(notice),
        notice_number=notice.number,
        number_label=_("Case number") if data.get("case_number") else _("Receipt number"),
        display_number=number,
        addressee=str(data.get("applicant_name", "")),
        applicant_id_number=str(data.get("applicant_id_number", "")),
        blocks=tuple(_body(notice, data)),
        department=str(data.get("department", "")),
        issued_on=cn_date(data.get("issued_on")),
        progress_url=progress_url(number, request),
        evaluation_url=evaluation_link(notice.case, notice.kind, request),
    )


def _flowable(block: Block, s: dict[str, ParagraphStyle]) -> Flowable:
    if block.kind == "table":
        return _table([list(row) for row in block.rows], [w * mm for w in block.widths], s["cell"])
    return _p(block.text, s["body"] if block.kind == "p" else s["plain"])


def _evaluation_qr(url: str, s: dict[str, ParagraphStyle]) -> Table:
    """The QR code “扫码评价” of the service this notice stands for."""
    text = [
        _p(_("Scan to evaluate"), s["plain"]),
        _p(_("Scan the code to rate this service: one evaluation per service, never required."), s["small"]),
        Paragraph(_latin(url), s["small"]),
    ]
    table = Table([[_Qr(url, 28 * mm), text]], colWidths=[32 * mm, 128 * mm])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOX", (0, 0), (-1, -1), 0.5, colors.grey)])
    )
    return table


def notice_pdf(notice: Notice, *, request: Any = None) -> bytes:
    """The notice as an A4 PDF document (bytes starting with %PDF)."""
    _register_font()
    s = _styles()
    c = notice_content(notice, request=request)
    story: list[Flowable] = [
        _p(c.center_name, s["center"]),
        Spacer(1, 4 * mm),
        _p(c.title, s["title"]),
        Paragraph(
            f"{escape(_('Notice No.'))} {_latin(c.notice_number)} · "
            f"{escape(c.number_label)} {_latin(c.display_number)}",
            s["number"],
        ),
        Spacer(1, 6 * mm),
        _p(f"{c.addressee}{_(':')} （{_('ID number')} {c.applicant_id_number}）", s["plain"]),
        Spacer(1, 2 * mm),
        *(_flowable(block, s) for block in c.blocks),
        Spacer(1, 10 * mm),
        _p(c.department, s["sign"]),
        _p(c.center_name, s["sign"]),
        _p(_("(seal)"), s["sign"]),
        _p(c.issued_on, s["sign"]),
        Spacer(1, 10 * mm),
    ]
    qr_text = [
        _p(_("Track your case"), s["plain"]),
        _p(
            _(
                "Scan the code, or open the address below, and enter the last four digits of your phone "
                "number or ID number to see the progress of case %(number)s."
            )
            % {"number": c.display_number},
            s["small"],
        ),
        Paragraph(_latin(c.progress_url), s["small"]),
    ]
    qr = Table([[_Qr(c.progress_url, 28 * mm), qr_text]], colWidths=[32 * mm, 128 * mm])
    qr.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOX", (0, 0), (-1, -1), 0.5, colors.grey)])
    )
    story.append(qr)
    if c.evaluation_url:
        story += [Spacer(1, 4 * mm), _evaluation_qr(c.evaluation_url, s)]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=22 * mm,
        bottomMargin=20 * mm,
        title=f"{c.title} {c.notice_number}",
        subject=c.notice_number,
        author=c.center_name,
        creator="onewindow",
        invariant=True,  # no creation time or random id: the same notice gives the same bytes
    )
    document.build(story)
    return buffer.getvalue()

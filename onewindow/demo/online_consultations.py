"""Demo data of online consultation (idempotent): frequent questions of a few demo items, and two
consultations of the demo applicant (phone 13900000001): one answered, one waiting.

Called by the demo loader as `load(center)`; a second run changes nothing."""

from __future__ import annotations

from typing import Any

from onewindow.cases.applicants import resident_id_check
from onewindow.catalog.models import ServiceItem
from onewindow.consultations import services
from onewindow.consultations.models import Consultation, FrequentQuestion
from onewindow.core import clock
from onewindow.identity.models import Person
from onewindow.identity.sessions import Applicant
from onewindow.org.models import Center, User

DEMO_PHONE = "13900000001"
_ID_BODY = "11010119900307123"

FAQS: dict[str, list[tuple[str, str]]] = {
    "SCJG-001": [
        ("办理营业执照需要多长时间？", "材料齐全、符合法定形式的，当场或者1个工作日内核发营业执照。"),
        (
            "可以全程网上办理吗？",
            "可以。登录网上办事大厅在线提交材料，审核通过后可选择邮寄送达或者到窗口领取。",
        ),
        ("住所使用证明可以用租赁合同吗？", "可以，提交房屋租赁合同复印件及出租方的产权证明复印件。"),
    ],
    "SW-001": [
        ("新办企业什么时候办理税务信息确认？", "领取营业执照后，首次办理涉税事项时一并确认，无需单独办理。"),
        ("需要带公章吗？", "网上办理无需公章；到窗口办理的，请携带经办人身份证件。"),
    ],
    "GA-001": [
        ("身份证丢了怎么补办？", "本人携带户口簿到窗口办理补领，现场采集人像和指纹。"),
        ("异地可以办理吗？", "可以在居住地办理跨省异地换领、补领。"),
    ],
}

ANSWERED = ("营业执照可以邮寄吗？", "我在外地，营业执照办好后可以邮寄给我吗？")
ANSWER = "可以。提交申请时选择邮寄送达并填写收件地址即可，邮费由中心承担。"
WAITING = ("税务信息确认需要本人到场吗？", "新公司的法定代表人在外地出差，税务信息确认能否由经办人办理？")


def _person() -> Person:
    person, _created = Person.objects.get_or_create(
        phone=DEMO_PHONE,
        defaults={
            "name": "王小明",
            "id_number": _ID_BODY + resident_id_check(_ID_BODY),
            "created_at": clock.now(),
        },
    )
    return person


def _replier(center: Center, department_id: int) -> User | None:
    for user in User.objects.filter(center=center, department_id=department_id, is_active=True).order_by(
        "username"
    ):
        if user.has_perm(services.REPLY):
            return user
    return None


def _items(center: Center) -> dict[str, ServiceItem]:
    found = ServiceItem.objects.filter(center=center, code__in=list(FAQS), published_version__isnull=False)
    return {item.code: item for item in found}


def load(center: Center) -> dict[str, Any]:
    items = _items(center)
    faqs = 0
    for code, entries in FAQS.items():
        item = items.get(code)
        if item is None:
            continue
        for position, (question, answer) in enumerate(entries, start=1):
            _faq, created = FrequentQuestion.objects.get_or_create(
                item=item,
                question=question,
                defaults={
                    "answer": answer,
                    "position": position,
                    "published": True,
                    "updated_at": clock.now(),
                },
            )
            faqs += int(created)
    person = _person()
    applicant = Applicant(person=person)
    made = 0
    mine = Consultation.objects.filter(person=person, center=center)
    if "SCJG-001" in items and not mine.filter(subject=ANSWERED[0]).exists():
        answered = services.consultation_ask(
            applicant=applicant, subject=ANSWERED[0], body=ANSWERED[1], item_code="SCJG-001", center=center
        )
        made += 1
        replier = _replier(center, answered.department_id)
        if replier is not None:
            services.consultation_reply(consultation_id=answered.pk, actor=replier, body=ANSWER, version=1)
    if "SW-001" in items and not mine.filter(subject=WAITING[0]).exists():
        services.consultation_ask(
            applicant=applicant, subject=WAITING[0], body=WAITING[1], item_code="SW-001", center=center
        )
        made += 1
    return {"frequent_questions": faqs, "consultations": made}

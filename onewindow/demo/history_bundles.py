"""Bundle cases (一件事办件) in the demo history: a few 企业开办一件事 (QYKB) over the last weeks and
the industrial construction bundles (GYJS, GYJS-FA), played out by the history's driver in the
same time-ordered queue as the ordinary cases (`onewindow.demo.history`).

A `BundleAgent` receives its application at the bundle's general window
(`approvals.services.bundle_case_intake`, accepted in the same sitting) and, once the bundle is
decided, hands out every result together (`bundle_case_act(action="deliver")`). Each sub-case
gets a `SubCaseAgent` when its phase opens: the sub-case's department walks its steps through
`cases.services.case_act` (pass the step, grant or deny, issue the certificate) as the first demo
account of that department allowed to; the bundle moves on by itself (phases open in turn, the
bundle is decided when every sub-case is, `approvals.progress`).

The plans below are fixed, placed by working days before the end of the history, so that today
there is: a QYKB still open, one decided and waiting for pickup, one delivered with a denied item,
a GYJS in its 施工许可 phase with the 施工许可证 sub-case overdue (the supervision board shows the
holdup), a delivered GYJS and a GYJS-FA in its merged phase. The random parts (applicants, form
values, minutes) come from the history's seed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import random
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.translation import gettext as _

from onewindow.approvals import transitions as BT
from onewindow.approvals.models import BundleCase, BundleSubCase
from onewindow.approvals.permissions import actor_may as bundle_actor_may
from onewindow.approvals.progress import is_done
from onewindow.approvals.services import bundle_case_act, bundle_case_intake
from onewindow.cases import transitions as T
from onewindow.cases.applicants import resident_id_check, uscc_check
from onewindow.cases.facts import Status
from onewindow.cases.models import Case, CaseStep
from onewindow.cases.steps import decision_step_position
from onewindow.catalog.models import ProcessStep
from onewindow.core.errors import DomainError, PermissionDenied
from onewindow.demo.data.bundles import ENTERPRISE_OPENING
from onewindow.demo.data.bundles_construction import INDUSTRIAL_CONSTRUCTION
from onewindow.demo.history_cases import (
    PROMPT,
    before_deadline,
    local_moment,
    read_case,
    soon,
)
from onewindow.demo.history_plan import GIVEN, SURNAMES, applicant
from onewindow.org.models import Center, User, Window

logger = logging.getLogger(__name__)

DELIVERED, DECIDED, OPEN = "delivered", "decided", "open"

QYKB_SCOPES = {
    "科技": "软件开发；信息技术咨询服务；技术服务、技术开发、技术转让",
    "商贸": "日用百货销售；五金产品零售；货物进出口",
    "餐饮": "餐饮服务；食品销售（仅销售预包装食品）",
    "建设": "房屋建筑工程施工；建筑装饰装修工程施工",
    "物流": "道路货物运输（不含危险货物）；仓储服务；装卸搬运",
    "文化": "组织文化艺术交流活动；会议及展览服务；广告设计",
    "医药": "药品零售；医疗器械经营；保健食品销售",
    "环保": "环境保护专用设备销售；污水处理及其再生利用",
    "电子": "电子元器件制造；电子产品销售",
    "食品": "食品生产；食品销售；农副产品销售",
    "建材": "建筑材料销售；水泥制品制造",
    "信息": "信息系统集成服务；数据处理和存储支持服务",
}
INVOICE_TYPES = ("增值税电子普通发票", "增值税电子专用发票")
DENIAL = "申请刻制的印章印文与企业登记名称不一致，不予备案；请按登记名称重新申请刻制。"


@dataclass
class BundlePlan:
    """One bundle case of the history, placed `offset` working days before its last day."""

    code: str
    offset: int
    outcome: str  # DELIVERED, DECIDED (waiting for pickup) or OPEN today
    answers: dict[str, str] = field(default_factory=dict)
    deny: str = ""  # the item code whose sub-case is denied
    stall: str = ""  # the item code whose sub-case nobody handles (late, or still open today)
    hold: str = ""  # the item code whose decision is still to come today
    delivery: str = "pickup"
    minute: int = 30
    rng: random.Random = field(default_factory=random.Random, repr=False)


def _yes_no(seal: bool, invoice: bool, staff: bool) -> dict[str, str]:
    return {k: "yes" if v else "no" for k, v in (("seal", seal), ("invoice", invoice), ("staff", staff))}


# Working days before the last day of the history (0: today).
PLANS: tuple[BundlePlan, ...] = (
    BundlePlan("GYJS", 56, DELIVERED, minute=75),
    BundlePlan("GYJS", 22, OPEN, stall="ZJ-001", minute=40),
    BundlePlan("QYKB", 19, DELIVERED, _yes_no(True, True, True), minute=20),
    BundlePlan("QYKB", 17, DELIVERED, _yes_no(True, False, True), delivery="mail", minute=95),
    BundlePlan("QYKB", 15, DELIVERED, _yes_no(True, True, True), minute=150),
    BundlePlan("QYKB", 13, DELIVERED, _yes_no(True, True, False), deny="GA-011", minute=45),
    BundlePlan("QYKB", 11, DELIVERED, _yes_no(False, True, True), minute=200),
    BundlePlan("GYJS-FA", 7, OPEN, hold="ZRZY-003", minute=60),
    BundlePlan("QYKB", 8, DELIVERED, _yes_no(False, False, False), minute=10),
    BundlePlan("QYKB", 6, DELIVERED, _yes_no(True, True, True), minute=120),
    BundlePlan("QYKB", 4, DELIVERED, _yes_no(True, True, False), delivery="mail", minute=70),
    BundlePlan("QYKB", 2, DECIDED, _yes_no(True, True, True), minute=30),
    BundlePlan("QYKB", 0, OPEN, _yes_no(True, True, True), stall="SCJG-001", minute=15),
)

WINDOW = {"QYKB": "Z03", "GYJS": "Z05", "GYJS-FA": "Z05"}

PROJECTS = (
    ("年产12万台新能源汽车电机生产线建设项目", "装备制造", "示范市高新区智造大道"),
    ("高端电子元器件封装测试基地项目", "电子信息", "示范市经济开发区创新路"),
    ("新型复合材料产业园一期工程", "新材料", "示范市清河工业园区兴业路"),
)
BUILDERS = (
    "示范恒拓精密机械有限公司",
    "示范华芯微电子股份有限公司",
    "清河瑞丰新材料科技有限公司",
)


class Driver(Protocol):
    """What the bundle agents need of the history's driver (`onewindow.demo.history.Driver`)."""

    center: Center
    end: dt.datetime
    summary: Any
    windows: dict[str, Window]

    def push(self, moment: dt.datetime, what: Any) -> None: ...

    def first(self, test: Any, *, department_id: int | None = None) -> User | None: ...

    def intake_clerk(self, department_id: int, window: Window | None) -> User | None: ...

    def act(self, case: Case, steps: list[CaseStep], action: str, **params: Any) -> Case: ...


def bundle_agents(driver: Driver, *, working_days: list[dt.date], seed: int) -> list[BundleAgent]:
    """One agent per plan whose bundle is active at the center, with its arrival moment."""
    from onewindow.catalog.models import Bundle

    active = set(Bundle.objects.filter(center=driver.center, active=True).values_list("code", flat=True))
    rng = random.Random(seed + 13)
    days = [d for d in working_days if local_moment(d, 0) <= driver.end]
    agents = []
    for index, template in enumerate(PLANS):
        plan = dataclasses.replace(template, rng=random.Random(rng.randrange(1 << 30)))
        if plan.code not in active or plan.offset >= len(days):
            continue
        arrival = local_moment(days[-1 - plan.offset], plan.minute)
        if arrival > driver.end:  # today before opening time: yesterday afternoon instead
            arrival = local_moment(days[-2 - plan.offset], 7 * 60 + plan.minute % 60)
        agents.append(BundleAgent(driver, plan, index=index, arrival=arrival))
    return agents


# --- applications --------------------------------------------------------------------------------


def _materials(spec: dict[str, Any], codes: set[str], *, skip: tuple[str, ...] = ()) -> list[str]:
    """The required materials of the bundle's list serving an item that applies."""
    return [
        m["name"]
        for m in spec["materials"]
        if m["requirement"] == "required" and set(m["item_codes"]) & codes and m["name"] not in skip
    ]


def enterprise_application(plan: BundlePlan) -> dict[str, Any]:
    rng = plan.rng
    who = applicant(rng, enterprise=True, id_check=resident_id_check, uscc_check=uscc_check)
    word = next((w for w in QYKB_SCOPES if w in who["name"]), "商贸")
    kind = "股份有限公司" if who["name"].endswith("股份有限公司") else "有限责任公司"
    form = {
        "enterprise_name": who["name"],
        "enterprise_type": kind,
        "legal_representative": who["legal_rep_name"],
        "legal_representative_id": who["legal_rep_id_number"],
        "registered_capital": str(rng.choice((30, 50, 100, 200, 500, 1000))),
        "business_scope": QYKB_SCOPES[word],
        "address": who["address"],
        "contact_phone": who["phone"],
    }
    codes = {"SCJG-001"}
    if plan.answers.get("seal") == "yes":
        codes.add("GA-011")
        form["seals"] = "公章、财务专用章、发票专用章" if rng.random() < 0.6 else "公章、财务专用章"
    if plan.answers.get("invoice") == "yes":
        codes.add("SW-005")
        form["invoice_type"] = rng.choice(INVOICE_TYPES)
        form["financial_officer"] = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
    if plan.answers.get("staff") == "yes":
        codes.add("RS-003")
        form["employees"] = str(rng.randrange(3, 40))
    materials = _materials(ENTERPRISE_OPENING, codes)
    if rng.random() < 0.3:
        materials.append("指定代表或者共同委托代理人授权委托书")
    return {"applicant": who, "form": form, "materials": materials, "note": ""}


def construction_application(plan: BundlePlan, index: int) -> dict[str, Any]:
    rng = plan.rng
    who = applicant(rng, enterprise=True, id_check=resident_id_check, uscc_check=uscc_check)
    project, industry, road = PROJECTS[index % len(PROJECTS)]
    who["name"] = BUILDERS[index % len(BUILDERS)]
    who["address"] = f"{road}{rng.randrange(1, 200)}号"
    contact = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
    land = rng.randrange(20, 120) * 1000
    form = {
        "project_name": project,
        "project_code": f"2026-990000-{rng.choice(('34', '39', '30'))}-03-{rng.randrange(0, 10**6):06d}",
        "builder_name": who["name"],
        "builder_credit_code": who["id_number"],
        "legal_representative": who["legal_rep_name"],
        "contact_person": contact,
        "contact_phone": who["phone"],
        "site": f"{road}以东、规划支路以北",
        "land_area": str(land),
        "floor_area": str(int(land * rng.choice((0.8, 1.0, 1.2)))),
        "total_investment": str(rng.randrange(8, 60) * 1000),
        "industry": industry,
        "planned_start": "",
    }
    later = ("工程竣工验收报告", "建设工程竣工图及竣工测量成果报告(多测合一)")
    materials = _materials(INDUSTRIAL_CONSTRUCTION, _all_codes(), skip=later)
    materials.append("涉路工程设计图及施工方案")
    note = "竣工验收阶段的材料（竣工验收报告、竣工图及测量成果）在工程竣工后提交。"
    return {"applicant": who, "form": form, "materials": materials, "note": note}


def _all_codes() -> set[str]:
    return {entry["item_code"] for entry in INDUSTRIAL_CONSTRUCTION["items"]}


# --- agents --------------------------------------------------------------------------------------


class BundleAgent:
    """Receives one bundle application, starts the sub-cases' agents as phases open, and hands
    the results out once the bundle is decided."""

    def __init__(self, driver: Driver, plan: BundlePlan, *, index: int, arrival: dt.datetime) -> None:
        self.d = driver
        self.p = plan
        self.index = index
        self.arrival = arrival
        self.bundle_case: BundleCase | None = None
        self.started: set[int] = set()
        self.delivery_planned = False

    def step(self, moment: dt.datetime) -> dt.datetime | None:
        try:
            if self.bundle_case is None:
                self.receive()
                self.follow(moment)
                return None
            self.deliver()
            return None
        except DomainError as exc:
            self.d.summary.fallbacks[f"stopped:{getattr(exc, 'code', '') or type(exc).__name__}"] += 1
            logger.info(
                "demo history: bundle %s stopped: %s %s", self.index, exc, getattr(exc, "details", "")
            )
            return None

    def receive(self) -> None:
        p = self.p
        if p.code == "QYKB":
            application = enterprise_application(p)
        else:
            application = construction_application(p, self.index)
        window = self.d.windows.get(WINDOW[p.code])
        from onewindow.approvals.plan import active_bundle

        bundle = active_bundle(self.d.center, p.code)
        clerk = self.d.intake_clerk(bundle.lead_department_id, window)
        if clerk is None:
            raise PermissionDenied(_("No demo clerk may receive this bundle."))
        self.bundle_case = bundle_case_intake(
            actor=clerk,
            center=self.d.center,
            bundle_code=p.code,
            answers=p.answers,
            applicant=application["applicant"],
            form=application["form"],
            materials=application["materials"],
            action="accept",
            note=application["note"],
            window=window,
            delivery_method=p.delivery,
        )
        self.d.summary.bundles["intake_accept"] += 1

    def follow(self, moment: dt.datetime) -> None:
        """Start the agents of the sub-cases just opened; plan the delivery once decided."""
        if self.bundle_case is None or self.delivery_planned:
            return
        subs = BundleSubCase.objects.filter(bundle_case=self.bundle_case, case__isnull=False).values_list(
            "pk", "case_id", "item_code"
        )
        for pk, case_id, item_code in subs:
            if pk in self.started:
                continue
            self.started.add(pk)
            agent = SubCaseAgent(self, case_id, item_code)
            self.d.push(soon(moment, self.p.rng, low=3, high=25), agent)
        status = BundleCase.objects.filter(pk=self.bundle_case.pk).values_list("status", flat=True).get()
        if status == BundleCase.Status.DECIDED and not self.delivery_planned:
            self.delivery_planned = True
            self.d.summary.bundles["decided"] += 1
            if self.p.outcome == DELIVERED:
                self.d.push(soon(moment, self.p.rng, low=30, high=150), self)

    def deliver(self) -> None:
        assert self.bundle_case is not None
        bundle_case = BundleCase.objects.get(pk=self.bundle_case.pk)
        actor = self.d.first(lambda u: bundle_actor_may(u, bundle_case, BT.DELIVER, BT.DELIVER_CASE) is None)
        if actor is None:
            raise PermissionDenied(_("No demo account may deliver this bundle."))
        if self.p.delivery == "mail":
            params: dict[str, Any] = {
                "method": "mail",
                "carrier": "中国邮政EMS",
                "tracking_number": f"EMS{bundle_case.pk:07d}88CN",
            }
        else:
            params = {
                "method": "pickup",
                "recipient_relation": "legal_representative",
                "recipient_name": bundle_case.legal_rep_name,
                "recipient_id_number": bundle_case.legal_rep_id_number,
                "note": "法定代表人一次领取全部办理结果",
            }
        bundle_case_act(
            bundle_case=bundle_case, action=BT.DELIVER, version=bundle_case.version, actor=actor, **params
        )
        self.d.summary.bundles["delivered"] += 1


class SubCaseAgent:
    """The department of one sub-case walks its steps: one case action per wake-up."""

    def __init__(self, bundle: BundleAgent, case_id: int, item_code: str) -> None:
        self.b = bundle
        self.case_id = case_id
        self.item_code = item_code
        self.rng = random.Random(bundle.p.rng.randrange(1 << 30))

    def step(self, moment: dt.datetime) -> dt.datetime | None:
        d = self.b.d
        try:
            case, steps = read_case(self.case_id)
            if is_done(case):
                self.b.follow(moment)
                return None
            active = next((s for s in steps if s.position == case.active_step_position), None)
            if active is None:
                return None
            if self.item_code == self.b.p.stall and active.kind != ProcessStep.Kind.ACCEPT:
                return None  # nobody handles it: late (or still open today)
            case = self.act(case, steps, active)
            d.summary.bundles["sub_case_actions"] += 1
            self.b.follow(moment)
            if is_done(case):
                return None
            return self.next_moment(moment, case)
        except DomainError as exc:
            d.summary.fallbacks[f"stopped:{getattr(exc, 'code', '') or type(exc).__name__}"] += 1
            logger.info("demo history: sub-case %s stopped: %s", self.case_id, exc)
            return None

    def act(self, case: Case, steps: list[CaseStep], active: CaseStep) -> Case:
        d = self.b.d
        if case.status in (Status.DECIDED_GRANTED, Status.CERTIFICATE_ISSUED, Status.DECIDED_DENIED):
            if active.kind == ProcessStep.Kind.CERTIFY and case.status == Status.DECIDED_GRANTED:
                return d.act(
                    case, steps, T.ISSUE_CERTIFICATE, certificate_number=f"SF{case.pk:07d}", opinion=""
                )
            return d.act(case, steps, T.PASS_STEP, opinion="同意")
        if active.kind == ProcessStep.Kind.ACCEPT:
            return d.act(case, steps, T.PASS_STEP, opinion="并联受理")
        decision = decision_step_position(steps)
        if active.position == decision:
            if self.item_code == self.b.p.deny:
                return d.act(case, steps, T.DENY, reasons=DENIAL, opinion="不予许可")
            return d.act(case, steps, T.GRANT, opinion="符合条件，准予许可")
        return d.act(case, steps, T.PASS_STEP, opinion="审查通过")

    def next_moment(self, moment: dt.datetime, case: Case) -> dt.datetime | None:
        if self.b.p.code == "QYKB":
            return soon(moment, self.rng, low=5, high=40)
        steps = read_case(case.pk)[1]
        active = next((s for s in steps if s.position == case.active_step_position), None)
        if active is None or active.kind == ProcessStep.Kind.ACCEPT:
            return soon(moment, self.rng, low=5, high=60)
        if self.item_code == self.b.p.hold and active.position == decision_step_position(steps):
            return None  # the decision is still to come
        return before_deadline(moment, active.due_at, self.rng, PROMPT)

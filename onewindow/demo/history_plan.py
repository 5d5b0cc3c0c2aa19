"""The plan of the demo history: what happens to each case, decided up front from a seeded random
generator, so that the same (seed, count, last day) always gives the same history.

Nothing here touches the database: `plan_cases` turns the catalog's items (`ItemInfo`) into one
`CasePlan` per case; `onewindow.demo.history` carries the plans out through the real services.
The shares below are those of a city center (即办件 about 40 %, a few refusals, corrections,
special procedures, extensions, late steps); the tests check the outcome stays near them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

SEED = 20261207
DEFAULT_COUNT = 2500
HISTORY_DAYS = 91  # about three months, ending now

# Shares (of all cases, or of the cases they apply to).
INSTANT_SHARE = 0.40
ONLINE_SHARE = 0.22  # of items that may be applied for online
REFUSE_SHARE = 0.035
CORRECT_AT_INTAKE_SHARE = 0.08
CORRECTION_ABANDONED_SHARE = 0.15  # of corrections at intake: the applicant never comes back
WITHDRAW_SHARE = 0.01
PAUSE_SHARE = 0.06  # of promised cases: a special procedure (特别程序)
PROCESSING_CORRECTION_SHARE = 0.04
EXTENSION_SHARE = 0.05
EXTENSION_REJECTED_SHARE = 0.3
DENY_SHARE = 0.04
DEEMED_SHARE = 0.35  # of cases of items with deemed approval (超期默认): nobody decides in time
DEEM_ACCEPT_SHARE = 0.03  # of online applications: nobody answers within five working days
MAIL_SHARE = 0.2
GREEN_CHANNEL_SHARE = 0.15  # of cases of green-channel items

# Pace of the step handlers.
PROMPT, TIGHT, LATE, STUCK = "prompt", "tight", "late", "stuck"
PACES = ((PROMPT, 0.55), (TIGHT, 0.27), (LATE, 0.12), (STUCK, 0.06))

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰飞鹏辉建国志红梅海燕文"
    "斌宇浩凯晨欣悦思琪子涵雨萱梓轩佳怡俊杰嘉豪"
)
COMPANY_PLACES = ("示范", "清河", "柳溪", "东湖", "北辰", "南山", "西岭", "云河", "青禾", "启航")
COMPANY_WORDS = (
    "科技",
    "商贸",
    "餐饮",
    "建设",
    "物流",
    "文化",
    "医药",
    "环保",
    "电子",
    "食品",
    "建材",
    "信息",
)
COMPANY_FORMS = ("有限公司", "有限责任公司", "股份有限公司")
STREETS = ("人民路", "解放路", "中山路", "建设路", "和平路", "文化路", "新华路", "滨河路", "东风路", "朝阳路")

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@dataclass(frozen=True)
class ItemInfo:
    """What the plan needs to know of a published item."""

    code: str
    handling_type: str
    online_allowed: bool
    green_channel_eligible: bool
    deemed_approval_days: int | None
    window_codes: tuple[str, ...]  # where it may be received, its own window first


@dataclass
class CasePlan:
    """Everything decided in advance about one case (the driver reads the rest from the case)."""

    index: int
    item_code: str
    arrival: dt.datetime
    channel: str  # "window" or "online"
    window_code: str | None
    applicant: dict[str, str]
    instant: bool
    answer: str = "accept"  # accept, refuse, correct (then accept), correct_abandoned
    pace: str = PROMPT
    late_step: int = 0  # the step (0-based among the processing steps) that runs late or sticks
    pause_step: int | None = None
    pause_kind: str = "expert_review"
    pause_days: int = 3
    processing_correction_step: int | None = None
    extension: str | None = None  # "approve" or "reject"
    deny: bool = False
    deemed: bool = False
    deem_accept: bool = False
    withdraw: bool = False
    delivery: str = "pickup"
    green_channel: bool = False
    seed: int = 0
    rng: random.Random = field(default_factory=random.Random, repr=False, compare=False)


def _choose(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str:
    roll = rng.random()
    for name, share in table:
        roll -= share
        if roll < 0:
            return name
    return table[-1][0]


def resident_id(rng: random.Random, check: Callable[[str], str]) -> str:
    """A valid-looking resident ID number with the region code 990000, which no real region has."""
    birth = dt.date(1955, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 48))
    body = f"990{rng.randrange(0, 1000):03d}{birth:%Y%m%d}{rng.randrange(0, 1000):03d}"
    return body + check(body)


def uscc(rng: random.Random, check: Callable[[str], str]) -> str:
    """A unified social credit code in the region 990000 (fictional)."""
    body = "91990000" + "".join(rng.choice(USCC_ALPHABET[:10]) for _ in range(8)) + rng.choice(USCC_ALPHABET)
    return body + check(body)


def applicant(rng: random.Random, *, enterprise: bool, id_check: Callable[[str], str],
              uscc_check: Callable[[str], str]) -> dict[str, str]:  # fmt: skip
    phone = f"1{rng.choice('3578')}{rng.randrange(0, 10)}0000{rng.randrange(0, 10000):04d}"
    address = f"示范市{rng.choice(STREETS)}{rng.randrange(1, 400)}号"
    if enterprise:
        name = (
            rng.choice(COMPANY_PLACES)
            + rng.choice(SURNAMES)
            + rng.choice(GIVEN)
            + rng.choice(COMPANY_WORDS)
            + rng.choice(COMPANY_FORMS)
        )
        return {
            "kind": "enterprise",
            "name": name,
            "id_type": "uscc",
            "id_number": uscc(rng, uscc_check),
            "legal_rep_name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "legal_rep_id_number": resident_id(rng, id_check),
            "phone": phone,
            "address": address,
        }
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.7 else "")
    return {
        "kind": "person",
        "name": rng.choice(SURNAMES) + given,
        "id_type": "resident_id",
        "id_number": resident_id(rng, id_check),
        "phone": phone,
        "address": address,
    }


ENTERPRISE_PREFIXES = ("SCJG", "SW", "ZJJ", "ZJ", "ZRZY", "STHJ", "RF", "QX", "FG", "SL", "XF", "JT")


def plan_cases(
    *,
    items: list[ItemInfo],
    working_days: list[dt.date],
    count: int,
    seed: int,
    arrival_time: Callable[[dt.date, int], dt.datetime],
    id_check: Callable[[str], str],
    uscc_check: Callable[[str], str],
) -> list[CasePlan]:
    """`count` case plans spread over `working_days` (more on Mondays, fewer on Fridays), in
    arrival order. `arrival_time(day, minute)` makes the aware moment `minute` minutes after the
    center opens on `day`."""
    rng = random.Random(seed)
    instant = [i for i in items if i.handling_type == "instant"]
    other = [i for i in items if i.handling_type != "instant"]
    # A few items get most of the traffic, as in a real center.
    weights_instant = [1.0 / (1 + (n % 7)) for n in range(len(instant))]
    weights_other = [1.0 / (1 + (n % 9)) for n in range(len(other))]
    # Traffic grows over the three months (the center took over more items) and peaks on Mondays.
    span = max(len(working_days) - 1, 1)
    day_weights = [
        (0.3 + 1.4 * n / span) * (1.3 if d.weekday() == 0 else 0.8 if d.weekday() == 4 else 1.0)
        for n, d in enumerate(working_days)
    ]
    days = rng.choices(working_days, weights=day_weights, k=count)
    minutes = [rng.randrange(0, 7 * 60) for _ in range(count)]
    order = sorted(range(count), key=lambda n: (days[n], minutes[n]))
    plans: list[CasePlan] = []
    for index, n in enumerate(order):
        case_seed = rng.randrange(1 << 30)
        crng = random.Random(case_seed)
        is_instant = crng.random() < INSTANT_SHARE
        item = (
            crng.choices(instant, weights_instant)[0] if is_instant else crng.choices(other, weights_other)[0]
        )
        enterprise = item.code.split("-")[0] in ENTERPRISE_PREFIXES and crng.random() < 0.8
        online = item.online_allowed and crng.random() < ONLINE_SHARE
        window_code = None
        if not online and item.window_codes:
            # Most applicants go to the item's own window, the rest to a general window (一窗受理).
            own = item.window_codes[0]
            window_code = (
                own
                if crng.random() < 0.7 or len(item.window_codes) == 1
                else crng.choice(item.window_codes[1:])
            )
        plan = CasePlan(
            index=index,
            item_code=item.code,
            arrival=arrival_time(days[n], minutes[n]),
            channel="online" if online else "window",
            window_code=window_code,
            applicant=applicant(crng, enterprise=enterprise, id_check=id_check, uscc_check=uscc_check),
            instant=is_instant,
            seed=case_seed,
            rng=crng,
        )
        roll = crng.random()
        if roll < REFUSE_SHARE:
            plan.answer = "refuse"
        elif roll < REFUSE_SHARE + CORRECT_AT_INTAKE_SHARE:
            plan.answer = "correct_abandoned" if crng.random() < CORRECTION_ABANDONED_SHARE else "correct"
        plan.delivery = "mail" if crng.random() < MAIL_SHARE else "pickup"
        plan.green_channel = (
            item.green_channel_eligible and not online and crng.random() < GREEN_CHANNEL_SHARE
        )
        plan.deem_accept = online and crng.random() < DEEM_ACCEPT_SHARE
        if not is_instant:
            plan.pace = _choose(crng, PACES)
            plan.late_step = crng.randrange(0, 4)
            if crng.random() < PAUSE_SHARE:
                plan.pause_step = crng.randrange(1, 3)
                plan.pause_kind = crng.choice(
                    ("expert_review", "inspection", "testing", "on_site_survey", "hearing")
                )
                plan.pause_days = crng.randrange(2, 9)
            elif crng.random() < PROCESSING_CORRECTION_SHARE / (1 - PAUSE_SHARE):
                plan.processing_correction_step = crng.randrange(1, 3)
            if crng.random() < EXTENSION_SHARE:
                plan.extension = "reject" if crng.random() < EXTENSION_REJECTED_SHARE else "approve"
            plan.deny = crng.random() < DENY_SHARE
            plan.deemed = item.deemed_approval_days is not None and crng.random() < DEEMED_SHARE
            plan.withdraw = crng.random() < WITHDRAW_SHARE
        plans.append(plan)
    return plans

"""Realistic applicants and intake payloads for the benchmarks."""

from __future__ import annotations

import random
from typing import Any

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
)
_GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志强海燕文博子涵浩然"
_AREAS = ("330102", "330106", "330108", "330110", "110101", "310104", "440305", "320102")


def resident_id(rng: random.Random) -> str:
    body = (
        rng.choice(_AREAS)
        + f"{rng.randint(1950, 2004)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        + f"{rng.randint(0, 999):03d}"
    )
    check = _ID_CHECK[sum(int(c) * w for c, w in zip(body, _ID_WEIGHTS, strict=True)) % 11]
    return body + check


def phone(rng: random.Random) -> str:
    return f"1{rng.choice('35789')}{rng.randint(0, 999999999):09d}"


def person(rng: random.Random) -> dict[str, Any]:
    return {
        "kind": "person",
        "name": rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.randint(1, 2))),
        "id_type": "resident_id",
        "id_number": resident_id(rng),
        "phone": phone(rng),
        "address": f"示范市{rng.choice(['上城区', '西湖区', '滨江区', '拱墅区'])}{rng.randint(1, 300)}号",
    }

"""The rules of an item spec: fields, materials, steps, and the procedure text against the steps."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from onewindow.catalog import procedure
from onewindow.catalog.models import Material, ProcessStep, ServiceItemVersion
from onewindow.catalog.rules.base import MAX_VISITS, CatalogCodes, RuleError, _Checker, check_code


def check_item(spec: Any, codes: CatalogCodes) -> list[RuleError]:
    """Every rule for one item spec."""
    c = _Checker(spec)
    if not isinstance(spec, Mapping):
        return [RuleError("", _("An item spec must be a mapping."))]
    c.errors.extend(check_code(spec.get("code")))
    own_code = spec.get("code")
    c.text("name", required=True, max_length=200)
    c.choice("kind", ServiceItemVersion.Kind.values, default=ServiceItemVersion.Kind.LICENSE)

    department = c.text("department_code", required=True)
    if department and department not in codes.departments:
        c.add(
            "department_code",
            _("Unknown department %(code)s: use the code of a department of this center.")
            % {"code": department},
        )
    window = c.text("window_code")
    if window:
        if window not in codes.windows:
            c.add(
                "window_code",
                _("Unknown window %(code)s: use the code of a window of this center, or leave it empty.")
                % {"code": window},
            )
        elif codes.windows[window] not in (None, department):
            c.add(
                "window_code",
                _(
                    "Window %(window)s belongs to department %(other)s: choose a window of department "
                    "%(department)s or a general window."
                )
                % {"window": window, "other": codes.windows[window], "department": department},
            )

    handling = c.choice("handling_type", ServiceItemVersion.HandlingType.values)
    legal = c.integer("legal_limit", required=True)
    promised = c.integer("promised_limit", required=True)
    if legal is not None and promised is not None and promised > legal:
        c.add(
            "promised_limit",
            _(
                "Promised limit %(promised)s exceeds the legal limit %(legal)s: "
                "the promised limit must not exceed the legal limit."
            )
            % {"promised": promised, "legal": legal},
        )
    for key in ("legal_basis", "conditions", "procedure", "fees", "fee_basis"):
        c.text(key)
    c.text("contact", max_length=200)
    c.text("change_note", max_length=200)
    for key in (
        "online_allowed",
        "appointment_allowed",
        "green_channel_eligible",
        "handled_at_center",
        "decided_at_window",
    ):
        c.boolean(key)
    visits = c.integer("visits_required", default=1)
    if visits is not None and visits > MAX_VISITS:
        c.add(
            "visits_required",
            _("On-site visits required is %(visits)s: it must be between 0 and %(max)s.")
            % {"visits": visits, "max": MAX_VISITS},
        )
    if spec.get("deemed_approval_days") is not None:
        deemed = spec.get("deemed_approval_days")
        if isinstance(deemed, int) and not isinstance(deemed, bool) and deemed < 1:
            c.add(
                "deemed_approval_days",
                _(
                    "Deemed approval after %(days)s days: it must be at least 1 working day, "
                    "or empty for no deemed approval."
                )
                % {"days": deemed},
            )
        else:
            c.integer("deemed_approval_days", minimum=1)
    valid_from = c.date("valid_from")
    valid_to = c.date("valid_to")
    if valid_from and valid_to and valid_to < valid_from:
        c.add(
            "valid_to",
            _(
                "Valid to %(to)s is before valid from %(from)s: "
                "the end date must not be before the start date."
            )
            % {"to": valid_to.isoformat(), "from": valid_from.isoformat()},
        )
    for number, theme in enumerate(c.items("themes"), start=1):
        if not isinstance(theme, str) or theme not in codes.themes:
            c.add(
                f"themes.{number}",
                _("Unknown theme %(code)s: create the theme first or remove it from the item.")
                % {"code": theme},
            )

    _check_materials(c, own_code, codes)
    _check_steps(c, handling, promised, codes)
    _check_procedure(c)
    return c.errors


def _check_procedure(c: _Checker) -> None:
    """The procedure text must not give a step another limit than the process template."""
    text = c.spec.get("procedure")
    if not isinstance(text, str) or not text.strip():
        return
    given = c.spec.get("steps")
    if not isinstance(given, list | tuple):
        return  # reported by _check_steps
    steps = []
    for step in given:
        if not isinstance(step, Mapping):
            return  # reported by _check_steps
        name, days = step.get("name"), step.get("limit_days")
        if isinstance(days, str) and days.strip().isdigit():
            days = int(days)
        if not isinstance(name, str) or not isinstance(days, int) or isinstance(days, bool):
            return  # reported by _check_steps
        steps.append(procedure.Step(name.strip(), days, bool(step.get("on_site", True))))
    for message in procedure.mismatches(text, steps):
        c.add("procedure", message)


def _check_materials(c: _Checker, own_code: Any, codes: CatalogCodes) -> None:
    materials = c.items("materials")
    names: Counter[str] = Counter()
    for number, material in enumerate(materials, start=1):
        m = c.sub("materials", number, material)
        name = m.text("name", required=True, max_length=200)
        if name:
            names[name] += 1
            if names[name] == 2:
                m.add(
                    "name",
                    _("Material %(name)s appears twice: material names must be unique within an item.")
                    % {"name": name},
                )
        m.choice("requirement", Material.Requirement.values, default=Material.Requirement.REQUIRED)
        m.text("condition", max_length=200)
        m.choice("form", Material.Form.values, default=Material.Form.ORIGINAL)
        copies = m.spec.get("copies", 1)
        if isinstance(copies, int) and not isinstance(copies, bool) and copies < 1:
            m.add(
                "copies",
                _("Material %(name)s has %(copies)s copies: copies must be at least 1.")
                % {"name": name, "copies": copies},
            )
        else:
            m.integer("copies", minimum=1, default=1)
        shared = m.text("shared_result_item_code", max_length=40)
        if shared:
            if shared == own_code:
                m.add(
                    "shared_result_item_code",
                    _("Material %(name)s cannot be satisfied by the result of its own item %(code)s.")
                    % {"name": name, "code": shared},
                )
            elif shared not in codes.items:
                m.add(
                    "shared_result_item_code",
                    _(
                        "Material %(name)s is satisfied by the result of item %(code)s, which does not "
                        "exist: use the code of an existing item."
                    )
                    % {"name": name, "code": shared},
                )
        m.text("note", max_length=300)
        c.absorb(m)


def _check_steps(c: _Checker, handling: str | None, promised: int | None, codes: CatalogCodes) -> None:
    steps = c.items("steps")
    if not steps:
        c.add("steps", _("The process template has no step: add at least one step (e.g. 受理)."))
        return
    total = 0
    kinds: Counter[str] = Counter()
    for number, step in enumerate(steps, start=1):
        s = c.sub("steps", number, step)
        name = s.text("name", required=True, max_length=50)
        kind = s.choice("kind", ProcessStep.Kind.values)
        if kind:
            kinds[kind] += 1
        post = s.text("post_code", required=True)
        if post and post not in codes.posts:
            s.add("post_code", _("Unknown post %(code)s: use the code of an existing post.") % {"code": post})
        days = s.integer("limit_days", required=True)
        s.boolean("on_site")
        if days is not None:
            total += days
            if handling == ServiceItemVersion.HandlingType.INSTANT and days > 0:
                s.add(
                    "limit_days",
                    _(
                        "Step %(number)s (%(name)s) has a limit of %(days)s days: every step of an instant "
                        "item must have limit 0, because it is decided in one sitting."
                    )
                    % {"number": number, "name": name, "days": days},
                )
        c.absorb(s)
    if handling == ServiceItemVersion.HandlingType.INSTANT:
        if promised:
            c.add(
                "promised_limit",
                _(
                    "An instant item is decided in one sitting: "
                    "its promised limit must be 0, not %(promised)s."
                )
                % {"promised": promised},
            )
    elif promised is not None and total > promised:
        c.add(
            "steps",
            _(
                "The steps add up to %(total)s working days, more than the promised limit %(promised)s: "
                "shorten the steps or raise the promised limit."
            )
            % {"total": total, "promised": promised},
        )
    decide = kinds[ProcessStep.Kind.DECIDE]
    if (
        handling in (ServiceItemVersion.HandlingType.PROMISED, ServiceItemVersion.HandlingType.JOINT)
        and decide != 1
    ):
        c.add(
            "steps",
            _(
                "A promised or joint item needs exactly one decision step (kind decide); "
                "this one has %(count)s."
            )
            % {"count": decide},
        )
    if handling == ServiceItemVersion.HandlingType.REPORTED and not (
        decide or kinds[ProcessStep.Kind.REPORT]
    ):
        c.add("steps", _("A reported item needs a report or decision step (kind report or decide)."))

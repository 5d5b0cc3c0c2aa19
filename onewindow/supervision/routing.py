"""Who must act on a reminder (催办) or a supervision order (督办) about a step.

It goes to the step's post (every holder of it in the step's department sees it) and to its
handler: the assigned handler if any; for a window step (受理, kind accept) the clerk who
received the case. Only a step with no handler and no holder of its post falls back to the
department chief (`to_chief`: the holders of `supervision.appeal_accountability` of the
department). An order about a case goes to the case's active step the same way; a case with no
active step goes to the chief.

One query per batch for the holders and one for the handlers' phones: the sweep stays
index-driven (docs/adr/0011-incremental-sweep.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model

from onewindow.cases.models import Case, CaseStep
from onewindow.catalog.models import ProcessStep

WINDOW_STEP = ProcessStep.Kind.ACCEPT


@dataclass(frozen=True)
class Route:
    step_id: int | None
    post_id: int | None
    handler_id: int | None
    to_chief: bool


def _holders(posts: set[int], centers: set[int]) -> set[tuple[int, int | None, int | None]]:
    """(post, department, center) of every active account holding one of `posts`."""
    if not posts:
        return set()
    through = get_user_model().posts.through
    return set(
        through.objects.filter(
            post_id__in=posts, user__is_active=True, user__center_id__in=centers
        ).values_list("post_id", "user__department_id", "user__center_id")
    )


def _active_users(ids: set[int]) -> dict[int, str]:
    """id → phone of the active accounts among `ids`."""
    if not ids:
        return {}
    return dict(get_user_model().objects.filter(pk__in=ids, is_active=True).values_list("pk", "phone"))


def route_step_rows(rows: list[dict[str, Any]]) -> None:
    """Add `handler_id`, `handler__phone` and `to_chief` to each step row (dicts with `id`,
    `kind`, `post_id`, `department_id`, `assignee_id`, `case__center_id` and
    `case__created_by_id`)."""
    candidates = {r["assignee_id"] for r in rows if r["assignee_id"]} | {
        r["case__created_by_id"] for r in rows if r["kind"] == WINDOW_STEP and r["case__created_by_id"]
    }
    active = _active_users(candidates)
    holders = _holders({r["post_id"] for r in rows if r["post_id"]}, {r["case__center_id"] for r in rows})
    for r in rows:
        handler = r["assignee_id"] if r["assignee_id"] in active else None
        if handler is None and r["kind"] == WINDOW_STEP and r["case__created_by_id"] in active:
            handler = r["case__created_by_id"]
        held = (r["post_id"], r["department_id"], r["case__center_id"]) in holders or (
            r["kind"] == WINDOW_STEP and (r["post_id"], None, r["case__center_id"]) in holders
        )
        r["handler_id"] = handler
        r["handler__phone"] = active.get(handler, "") if handler is not None else ""
        r["to_chief"] = handler is None and not held


def routes_for_cases(case_ids: list[int]) -> dict[int, Route]:
    """The route of an order about each case: through its active step (no active step: the chief)."""
    steps: list[dict[str, Any]] = [
        dict(row)
        for row in CaseStep.objects.filter(case_id__in=case_ids, status=CaseStep.Status.ACTIVE).values(
            "id", "case_id", "kind", "post_id", "department_id", "assignee_id"
        )
    ]
    cases = {
        pk: (center, created_by)
        for pk, center, created_by in Case.objects.filter(pk__in={s["case_id"] for s in steps}).values_list(
            "pk", "center_id", "created_by_id"
        )
    }
    for s in steps:
        s["case__center_id"], s["case__created_by_id"] = cases[s["case_id"]]
    route_step_rows(steps)
    routes = {pk: Route(None, None, None, True) for pk in case_ids}
    for s in steps:
        routes[s["case_id"]] = Route(s["id"], s["post_id"], s["handler_id"], s["to_chief"])
    return routes

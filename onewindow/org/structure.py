"""Writing the organisation's structure: centers, departments, windows and posts (岗位).

Each save creates a row (no instance given) or changes one, checked and audited; see
`onewindow.org.services` for who may do what.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from onewindow.org.models import Center, Department, Post, User, Window
from onewindow.org.selectors import center_subtree_ids
from onewindow.org.validation import (
    POST_CODE_RE,
    check_code,
    check_phone,
    check_required,
    code_taken,
    raise_if_errors,
    require,
    require_center_access,
    upper_code,
    write_audited,
)


@transaction.atomic
def center_save(
    *,
    center: Center | None = None,
    code: str,
    name: str,
    level: str,
    parent: Center | None = None,
    address: str = "",
    phone: str = "",
    opening_hours: str = "",
    actor: User | None,
) -> Center:
    """Create a center (center=None) or change one. The code is fixed once the center exists:
    it begins every case number."""
    creating = center is None
    require(
        actor,
        "org.add_center" if creating else "org.change_center",
        _("Your account cannot create centers.") if creating else _("Your account cannot change centers."),
    )
    current = None if center is None else Center.objects.select_for_update().get(pk=center.pk)
    require_center_access(actor, current.pk if current is not None else (parent.pk if parent else None))
    if current is None and parent is not None:
        require_center_access(actor, parent.pk)
    errors: dict[str, list[str]] = {}
    code = upper_code(code)
    check_code(errors, code, Center._meta.get_field("code").max_length or 12)
    if current is not None and code != current.code:
        errors.setdefault("code", []).append(
            _("The code of an existing center cannot change: it is part of every case number.")
        )
    elif code_taken(Center.objects.all(), code, current):
        errors.setdefault("code", []).append(_("Another center already has this code."))
    name = check_required(errors, "name", name, 100)
    if level not in Center.Level.values:
        errors.setdefault("level", []).append(_("Choose a level."))
    if parent is not None and current is not None and parent.pk in center_subtree_ids(current.pk):
        errors.setdefault("parent", []).append(
            _("A center cannot be placed under itself or under a center below it.")
        )
    phone = check_phone(errors, phone)
    raise_if_errors(errors, _("The center could not be saved: check the marked fields."))

    return write_audited(
        entity="center",
        current=current,
        target=current or Center(code=code),
        values={
            "name": name,
            "level": level,
            "parent": parent,
            "address": (address or "").strip(),
            "phone": phone,
            "opening_hours": (opening_hours or "").strip(),
        },
        actor=actor,
    )


@transaction.atomic
def department_save(
    *,
    department: Department | None = None,
    center: Center,
    code: str,
    name: str,
    short_name: str = "",
    phone: str = "",
    position: int = 0,
    active: bool = True,
    actor: User | None,
) -> Department:
    """Create or change a department. Its code is unique in its center; it never moves to
    another center."""
    creating = department is None
    require(
        actor,
        "org.add_department" if creating else "org.change_department",
        _("Your account cannot maintain departments."),
    )
    current = None if department is None else Department.objects.select_for_update().get(pk=department.pk)
    require_center_access(actor, center.pk)
    errors: dict[str, list[str]] = {}
    if current is not None and current.center_id != center.pk:
        errors.setdefault("center", []).append(_("A department cannot move to another center."))
    code = upper_code(code)
    check_code(errors, code, 20)
    if code_taken(Department.objects.filter(center=center), code, current):
        errors.setdefault("code", []).append(_("Another department of this center has this code."))
    name = check_required(errors, "name", name, 100)
    short_name = (short_name or "").strip()
    if len(short_name) > 30:
        errors.setdefault("short_name", []).append(_("At most %(n)d characters.") % {"n": 30})
    phone = check_phone(errors, phone)
    if position is None or int(position) < 0:
        errors.setdefault("position", []).append(_("Zero or a positive number."))
    raise_if_errors(errors, _("The department could not be saved: check the marked fields."))

    return write_audited(
        entity="department",
        current=current,
        target=current or Department(center=center),
        values={
            "code": code,
            "name": name,
            "short_name": short_name,
            "phone": phone,
            "position": int(position),
            "active": bool(active),
        },
        actor=actor,
    )


@transaction.atomic
def window_save(
    *,
    window: Window | None = None,
    center: Center,
    code: str,
    name: str,
    department: Department | None = None,
    floor: str = "",
    active: bool = True,
    actor: User | None,
) -> Window:
    """Create or change a window; a window without a department is a general window (综合窗口)."""
    creating = window is None
    require(
        actor,
        "org.add_window" if creating else "org.change_window",
        _("Your account cannot maintain windows."),
    )
    current = None if window is None else Window.objects.select_for_update().get(pk=window.pk)
    require_center_access(actor, center.pk)
    errors: dict[str, list[str]] = {}
    if current is not None and current.center_id != center.pk:
        errors.setdefault("center", []).append(_("A window cannot move to another center."))
    code = upper_code(code)
    check_code(errors, code, 20)
    if code_taken(Window.objects.filter(center=center), code, current):
        errors.setdefault("code", []).append(_("Another window of this center has this code."))
    name = check_required(errors, "name", name, 100)
    if department is not None and department.center_id != center.pk:
        errors.setdefault("department", []).append(_("Choose a department of the same center."))
    floor = (floor or "").strip()
    raise_if_errors(errors, _("The window could not be saved: check the marked fields."))

    return write_audited(
        entity="window",
        current=current,
        target=current or Window(center=center),
        values={
            "code": code,
            "name": name,
            "department": department,
            "floor": floor,
            "active": bool(active),
        },
        actor=actor,
    )


@transaction.atomic
def post_save(
    *, post: Post | None = None, code: str, name: str, position: int = 0, actor: User | None
) -> Post:
    """Create or change a post (岗位). Post codes are letters, digits, '_' and '-', unique."""
    creating = post is None
    require(
        actor, "org.add_post" if creating else "org.change_post", _("Your account cannot maintain posts.")
    )
    current = None if post is None else Post.objects.select_for_update().get(pk=post.pk)
    errors: dict[str, list[str]] = {}
    code = (code or "").strip()
    if not code:
        errors.setdefault("code", []).append(_("The code is required."))
    elif not POST_CODE_RE.match(code) or len(code) > 20:
        errors.setdefault("code", []).append(
            _("Letters, digits, '_' and '-', starting with a letter, at most 20 characters.")
        )
    elif code_taken(Post.objects.all(), code, current):
        errors.setdefault("code", []).append(_("Another post has this code."))
    name = check_required(errors, "name", name, 50)
    if position is None or int(position) < 0:
        errors.setdefault("position", []).append(_("Zero or a positive number."))
    raise_if_errors(errors, _("The post could not be saved: check the marked fields."))

    return write_audited(
        entity="post",
        current=current,
        target=current or Post(),
        values={
            "code": code,
            "name": name,
            "position": int(position),
        },
        actor=actor,
    )

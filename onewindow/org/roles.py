"""The roles and the permissions each one grants. Roles are Django groups created from this table
(`org_sync_roles`); code checks permissions (`user.has_perm`), never role names.

三员分立 (docs/adr/0023-separation-of-duties-two-person-rule.md): the system, security and audit
administrator roles are mutually exclusive on one account, none of them is combined with a
business role (center_admin counts as a business role: it runs the catalogue and the
organisation), and no account holds every right. Changes to administrator accounts need a
second administrator's approval (`org.admin_changes`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    code: str
    name: Promise
    permissions: tuple[str, ...]


# Permissions named "app_label.codename". Those of apps that do not exist yet are skipped
# when roles are synced, so a later app only has to declare its permissions in Meta.
ROLES: tuple[Role, ...] = (
    Role(
        "window_clerk",
        _("Window clerk"),
        (
            "catalog.view_serviceitem",
            "cases.accept_case",
            "cases.view_case",
            "cases.deliver_case",
            # the online hall (issue 14)
            "online.prereview_application",
            "consultations.reply_consultation",
            "appointments.check_in_booking",
            "appointments.book_for_applicant",
            "identity.verify_person",
            # evaluation and complaints (issue 15)
            "complaints.register_complaint",
            # the hall (issue 16)
            "hall.issue_ticket",
            "hall.call_ticket",
        ),
    ),
    Role(
        # a ticket dispenser (排队机) signed in as a device account: issues tickets and checks in
        # appointments by their code, nothing else
        "ticket_dispenser",
        _("Ticket dispenser (device)"),
        (
            "hall.issue_ticket",
            "appointments.check_in_booking",
        ),
    ),
    Role(
        # 窗口组长 / 值班领导: short leave, the patrol log, a clock record entered by hand
        "group_leader",
        _("Window group leader (duty leader)"),
        (
            "cases.view_case",
            "hall.view_queue",
            "hall.manage_queue",
            "attendance.view_attendance",
            "attendance.approve_short_leave",
            "attendance.log_patrol",
            "attendance.clock_manually",
        ),
    ),
    Role(
        "reviewer",
        _("Reviewer"),
        (
            "catalog.view_serviceitem",
            "cases.view_case",
            "cases.handle_step",
            "consultations.reply_consultation",
        ),
    ),
    Role(
        "approver",
        _("Approver"),
        (
            "catalog.view_serviceitem",
            "cases.view_case",
            "cases.handle_step",
            "cases.decide_case",
        ),
    ),
    Role(
        "chief_representative",
        _("Chief representative"),
        (
            "catalog.view_serviceitem",
            "cases.view_case",
            "cases.handle_step",
            "cases.decide_case",
            "cases.approve_extension",
            "supervision.appeal_accountability",
            "catalog.delegate_window",
            # evaluation and complaints (issue 15): the department's own
            "feedback.view_evaluations",
            "feedback.handle_rectification",
            "complaints.handle_complaint",
            "consultations.reply_consultation",
            "consultations.manage_faq",
            # the hall (issue 16): seated at the department's window; signs its staff's leave
            "hall.issue_ticket",
            "hall.call_ticket",
            "attendance.sign_department_leave",
        ),
    ),
    Role(
        "supervisor",
        _("Center supervisor"),
        (
            "catalog.view_serviceitem",
            "cases.view_case",
            "cases.approve_extension",
            "supervision.supervise",
            "calendar.view_calendaryear",
            "appointments.lift_ban",
            # evaluation and complaints (issue 15)
            "feedback.view_evaluations",
            "feedback.record_callback",
            "feedback.handle_rectification",
            "feedback.review_rectification",
            "complaints.register_complaint",
            "complaints.handle_complaint",
            "complaints.judge_complaint",
            # the hall (issue 16): the supervision office watches the queue and the windows,
            # records and approves leave, patrols
            "hall.view_queue",
            "hall.manage_queue",
            "attendance.view_attendance",
            "attendance.approve_leave",
            "attendance.log_patrol",
            "attendance.clock_manually",
        ),
    ),
    Role(
        # 政府负责人: approves the extension of a joint limit (行政许可法 art. 42 para 2)
        "government_head",
        _("Government head"),
        (
            "cases.view_case",
            "approvals.approve_joint_extension",
        ),
    ),
    Role(
        "center_admin",
        _("Center administrator"),
        (
            "org.manage_organisation",
            "org.view_center",
            "org.change_center",
            "org.add_department",
            "org.change_department",
            "org.view_department",
            "org.add_window",
            "org.change_window",
            "org.view_window",
            "org.view_post",
            "org.add_post",
            "org.change_post",
            "catalog.view_serviceitem",
            "catalog.add_serviceitem",
            "catalog.change_serviceitem",
            "catalog.publish_serviceitem",
            "catalog.import_catalog",
            "catalog.delegate_window",
            "catalog.view_windowdelegation",
            "catalog.view_bundle",
            "catalog.add_bundle",
            "catalog.change_bundle",
            "calendar.view_calendaryear",
            "calendar.add_calendaryear",
            "calendar.change_calendaryear",
            "calendar.view_calendarday",
            "calendar.add_calendarday",
            "calendar.change_calendarday",
            "calendar.delete_calendarday",
            "notifications.view_messagetemplate",
            "notifications.add_messagetemplate",
            "notifications.change_messagetemplate",
            "notifications.view_outboxmessage",
            "appointments.manage_calendar",
            "feedback.manage_evaluator",
            "feedback.view_evaluationtemplate",
            "feedback.change_evaluationtemplate",
            "hall.manage_hall",
            "hall.view_queue",
            "attendance.manage_attendance_rules",
            "attendance.manage_attendance_device",
        ),
    ),
    Role(
        "auditor",
        _("Audit administrator"),
        (
            "core.view_auditentry",
            "org.view_adminchangerequest",
            "org.request_admin_change",
            "org.approve_admin_change",
        ),
    ),
    Role(
        "system_admin",
        _("System administrator"),
        (
            "org.manage_organisation",
            "org.view_center",
            "org.add_center",
            "org.change_center",
            "org.view_department",
            "org.view_window",
            "org.view_post",
            "calendar.view_calendaryear",
            "calendar.change_calendaryear",
            "org.view_adminchangerequest",
            "org.request_admin_change",
            "org.approve_admin_change",
        ),
    ),
    Role(
        "security_admin",
        _("Security administrator"),
        (
            "org.manage_accounts",
            "org.view_user",
            "org.add_user",
            "org.change_user",
            "auth.view_group",
            "org.view_adminchangerequest",
            "org.request_admin_change",
            "org.approve_admin_change",
        ),
    ),
)

ROLE_BY_CODE = {role.code: role for role in ROLES}

# 三员分立: at most one of these on one account, and never together with a business role.
EXCLUSIVE_ADMIN_ROLES = frozenset({"system_admin", "security_admin", "auditor"})
ADMIN_ROLES = EXCLUSIVE_ADMIN_ROLES
# Every other role is a business role (center_admin included: it runs the catalogue and the
# organisation of a center, which is business, not system administration).
BUSINESS_ROLES = frozenset(ROLE_BY_CODE) - ADMIN_ROLES

# The only role that may read the audit trail (core.view_auditentry); org.checks reports any
# other group or account that holds it.
AUDIT_READER_ROLE = "auditor"

# Roles whose work is done in the admin site: their accounts get Django's `is_staff` flag
# (set by the account services, never by hand). Everyone else works in the staff pages only.
ADMIN_SITE_ROLES = frozenset({"center_admin", "system_admin", "security_admin", "auditor"})


def needs_admin_site(role_codes: Iterable[str]) -> bool:
    return bool(set(role_codes) & ADMIN_SITE_ROLES)


def admin_roles_in(role_codes: Iterable[str]) -> set[str]:
    """The administrator roles among `role_codes`: an account holding any of them is an
    administrator account, changed only through the two-person rule."""
    return set(role_codes) & ADMIN_ROLES

"""Writing organisation data: centers, departments, windows, posts, staff accounts, roles,
API tokens. Every change is checked, written in one transaction and recorded in the audit trail.

`actor` is the account doing the change; None means the system itself (migrations, management
commands run by the operator), which skips the permission check but is still audited.
Accounts without a center are deployment-level (the administrators of a production install):
they may manage every center. An account with a center manages that center and those below it.

This module is the entry point the other apps import; the code lives in:

- `org.structure`: centers, departments, windows, posts;
- `org.accounts`: roles (groups), staff accounts, passwords;
- `org.duties` and `org.admin_changes`: the separation of duties and the two-person rule for
  administrator accounts (三员分立);
- `org.tokens`: API tokens;
- `org.passwords`: the password policy, history, expiry and the owner's change;
- `org.second_factor`: the TOTP second factor;
- `org.validation`: the checks the three share (permission, center access, codes, phones).
"""

from __future__ import annotations

from onewindow.org.accounts import (
    UNSET,
    org_sync_roles,
    user_create,
    user_deactivate,
    user_set_password,
    user_set_roles,
    user_update,
    validate_role_set,
)
from onewindow.org.admin_changes import (
    admin_change_approve,
    admin_change_reject,
    admin_change_request,
    admin_change_requests_expire,
)
from onewindow.org.passwords import user_change_own_password
from onewindow.org.second_factor import (
    token_sign_in_check,
    totp_begin_enrolment,
    totp_confirm_enrolment,
    totp_reset,
    totp_verify,
)
from onewindow.org.structure import center_save, department_save, post_save, window_save
from onewindow.org.tokens import api_token_authenticate, api_token_issue, api_token_revoke

__all__ = [
    "UNSET",
    "admin_change_approve",
    "admin_change_reject",
    "admin_change_request",
    "admin_change_requests_expire",
    "api_token_authenticate",
    "api_token_issue",
    "api_token_revoke",
    "center_save",
    "department_save",
    "org_sync_roles",
    "post_save",
    "token_sign_in_check",
    "totp_begin_enrolment",
    "totp_confirm_enrolment",
    "totp_reset",
    "totp_verify",
    "user_change_own_password",
    "user_create",
    "user_deactivate",
    "user_set_password",
    "user_set_roles",
    "user_update",
    "validate_role_set",
    "window_save",
]

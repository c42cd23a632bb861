"""Account rules: registration, authentication, verification, roles, password reset, profile changes.

Every function that changes data takes the acting user, checks permission here, writes the audit log for
administrative actions, and commits. Validation failures raise :class:`AccountError` with a user-facing
message and leave the database untouched.

One module per job; callers use the names re-exported here (``from portal.accounts import services``):

| module | job |
|---|---|
| ``common`` | :class:`AccountError`, the sign-up data, the checks of each field (email, NIP, name, unit, password) |
| ``handles`` | @mention handles: made from the name when an account is stored, looked up for mentions |
| ``registration`` | sign-up, accounts an administrator creates, sign-in, the session token, account look-ups |
| ``passwords`` | a person's own profile, language and password, ending every session, the reset link |
| ``administration`` | the user list, verification, roles, contracts, (de)activation, counts per unit |
"""

from __future__ import annotations

from portal.accounts.services.administration import (
    UserFilter,
    active_ids_with,
    change_role,
    count_active,
    count_by_state,
    count_pending,
    list_users,
    member_counts_by_unit,
    parse_role,
    set_active,
    set_contract,
    verify,
)
from portal.accounts.services.common import (
    CONTRACT_YEARS,
    HANDLE_MAX,
    HANDLE_MIN,
    AccountError,
    Registration,
    check_contract,
    check_email,
    check_name,
    normalize_email,
    password_problem,
)
from portal.accounts.services.handles import (
    assign_handles,
    handle_from_name,
    suggest_by_handle,
    users_by_mention,
)
from portal.accounts.services.passwords import (
    change_password,
    end_sessions,
    request_password_reset,
    reset_password,
    reset_token_user,
    set_password,
    set_preferred_locale,
    update_profile,
)
from portal.accounts.services.registration import (
    authenticate,
    create_user,
    find_by_login,
    get_by_nip,
    get_user,
    get_users,
    load_user,
    new_session_token,
    register,
)

__all__ = [
    "active_ids_with",
    "AccountError",
    "CONTRACT_YEARS",
    "HANDLE_MAX",
    "HANDLE_MIN",
    "Registration",
    "UserFilter",
    "assign_handles",
    "authenticate",
    "change_password",
    "change_role",
    "check_contract",
    "check_email",
    "check_name",
    "count_active",
    "count_by_state",
    "count_pending",
    "create_user",
    "end_sessions",
    "find_by_login",
    "get_by_nip",
    "get_user",
    "get_users",
    "handle_from_name",
    "list_users",
    "load_user",
    "member_counts_by_unit",
    "new_session_token",
    "normalize_email",
    "parse_role",
    "password_problem",
    "register",
    "request_password_reset",
    "reset_password",
    "reset_token_user",
    "set_active",
    "set_contract",
    "set_password",
    "set_preferred_locale",
    "suggest_by_handle",
    "update_profile",
    "users_by_mention",
    "verify",
]

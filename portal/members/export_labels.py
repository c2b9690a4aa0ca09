"""Names for the codes in a member's data (/me/data) that no other table names yet.

The profile's answers are named in portal/members/choices.py and memberships in
portal/councils/labels.py; these cover the account, its mail and its audit events. An audit
action missing here is shown as its code, so a new action never breaks the page.
"""

from flask_babel import lazy_gettext as _l

from portal.members.choices import (
    DOCUMENTATION_NEEDS,
    GOVERNORATES,
    RESIDENCE_STATUSES,
    SHAREABLE_FIELDS,
)

ACCOUNT_ROLES = {"member": _l("Member"), "staff": _l("Staff"), "admin": _l("Admin")}

MAIL_STATUS = {
    "pending": _l("Waiting to be sent"),
    "sending": _l("Being sent"),
    "sent": _l("Sent"),
    "failed": _l("Could not be sent"),
}

SUBJECT_TYPES = {"User": _l("Account"), "Council": _l("Council"),
                 "Membership": _l("Membership")}

AUDIT_ACTIONS = {
    "login.succeeded": _l("Successful login"),
    "login.remembered": _l("Logged in on a remembered device"),
    "login.failed": _l("Failed login"),
    "password.confirm_failed": _l("Wrong password when confirming a change"),
    "password.changed": _l("Password changed"),
    "password.reset": _l("Password reset by email"),
    "remember.revoked": _l("Remembered device logged out"),
    "remember.replayed": _l("Copied device token refused"),
    "2fa.enabled": _l("Two-factor authentication turned on"),
    "2fa.disabled": _l("Two-factor authentication turned off"),
    "2fa.reset": _l("Two-factor authentication reset by an administrator"),
    "2fa.recovery_code_used": _l("Recovery code used"),
    "2fa.recovery_codes_replaced": _l("New recovery codes"),
    "member.data_exported": _l("Your data shown or downloaded"),
    "account.deleted": _l("Account deleted"),
    "account.suspended": _l("Account suspended"),
    "account.reactivated": _l("Account reactivated"),
    "account.role_changed": _l("Account role changed"),
    "council.created": _l("Council created or proposed"),
    "council.approved": _l("Council proposal approved"),
    "council.rejected": _l("Council proposal rejected"),
    "council.status_changed": _l("Council status changed"),
    "council.updated": _l("Council details changed"),
    "membership.approved": _l("Request to join approved"),
    "membership.rejected": _l("Request to join rejected"),
    "membership.leader_appointed": _l("Leader appointed"),
    "membership.leader_left": _l("A leader left the council"),
    "membership.leader_removed": _l("Leader removed"),
    "members.exported": _l("Member list downloaded"),
    "sensitive.viewed": _l("A member's sensitive answers viewed"),
}


def template_labels() -> dict:
    """Every table of names the data page uses (memberships' come from the councils' context
    processor)."""
    return {"GOVERNORATES": GOVERNORATES, "RESIDENCE_STATUSES": RESIDENCE_STATUSES,
            "DOCUMENTATION_NEEDS": DOCUMENTATION_NEEDS, "SHAREABLE_FIELDS": SHAREABLE_FIELDS,
            "ACCOUNT_ROLES": ACCOUNT_ROLES, "MAIL_STATUS": MAIL_STATUS,
            "SUBJECT_TYPES": SUBJECT_TYPES, "AUDIT_ACTIONS": AUDIT_ACTIONS}

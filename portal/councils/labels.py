"""Translated names of council and membership states, for every template."""

from flask_babel import lazy_gettext as _l

COUNCIL_STATUS = {
    "proposed": _l("Proposed"),
    "active": _l("Active"),
    "suspended": _l("Suspended"),
    "rejected": _l("Rejected"),
}

MEMBERSHIP_STATUS = {
    "pending": _l("Waiting for a decision"),
    "approved": _l("Member"),
    "rejected": _l("Not accepted"),
    "left": _l("Left"),
}

MEMBERSHIP_ROLE = {
    "member": _l("Member"),
    "leader": _l("Council leader"),
}

# Keyed by RejectionReason: the leader chooses, the applicant reads it in their own language.
REJECTION_REASON = {
    "not_local": _l("Lives outside this council's city or country"),
    "duplicate": _l("Duplicate account"),
    "unconfirmed": _l("Identity could not be confirmed"),
    "asked_to_leave": _l("At the person's own request"),
    "other": _l("Other reason"),
}


def template_labels() -> dict:
    return {"COUNCIL_STATUS": COUNCIL_STATUS, "MEMBERSHIP_STATUS": MEMBERSHIP_STATUS,
            "MEMBERSHIP_ROLE": MEMBERSHIP_ROLE, "REJECTION_REASON": REJECTION_REASON}

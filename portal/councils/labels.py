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


def template_labels() -> dict:
    return {"COUNCIL_STATUS": COUNCIL_STATUS, "MEMBERSHIP_STATUS": MEMBERSHIP_STATUS,
            "MEMBERSHIP_ROLE": MEMBERSHIP_ROLE}

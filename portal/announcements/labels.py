"""Names of announcement states, for the staff's pages."""

from flask_babel import lazy_gettext as _l

from portal.announcements.models import Audience, State

STATE = {
    State.DRAFT: _l("Draft"),
    State.AWAITING_APPROVAL: _l("Waiting for approval"),
    State.SCHEDULED: _l("Scheduled"),
    State.PUBLISHED: _l("Published"),
    State.EXPIRED: _l("Expired"),
    State.ARCHIVED: _l("Archived"),
}

AUDIENCE = {
    Audience.ALL: _l("Everyone"),
    Audience.COUNTRIES: _l("Members in chosen countries"),
    Audience.COUNCILS: _l("Members of chosen councils"),
}

"""Every model, imported in one place so that the metadata (and Alembic) sees all tables."""

from portal.audit import AuditEvent
from portal.auth.models import RecoveryCode, RememberToken, Role, User
from portal.councils.models import (
    Council,
    CouncilStatus,
    Membership,
    MembershipRole,
    MembershipStatus,
)
from portal.mail import OutboxMessage
from portal.members.models import Profile
from portal.needs.models import (
    Answer,
    Choice,
    NeedsReport,
    NeedsRound,
    Question,
    ReviewEvent,
    RoundCountry,
    Survey,
    Tally,
)
from portal.throttle import RateCounter

__all__ = [
    "Answer",
    "AuditEvent",
    "Choice",
    "Council",
    "CouncilStatus",
    "Membership",
    "MembershipRole",
    "MembershipStatus",
    "NeedsReport",
    "NeedsRound",
    "OutboxMessage",
    "Profile",
    "Question",
    "RateCounter",
    "RecoveryCode",
    "RememberToken",
    "ReviewEvent",
    "Role",
    "RoundCountry",
    "Survey",
    "Tally",
    "User",
]

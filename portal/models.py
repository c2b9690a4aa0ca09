"""Every model, imported in one place so that the metadata (and Alembic) sees all tables."""

from portal.announcements.models import (
    Announcement,
    AnnouncementCouncil,
    AnnouncementCountry,
    AnnouncementRecipient,
    AnnouncementRevision,
    AnnouncementText,
)
from portal.audit import AuditEvent
from portal.auth.models import RecoveryCode, RememberToken, Role, User
from portal.councils.models import (
    Council,
    CouncilStatus,
    Membership,
    MembershipRole,
    MembershipStatus,
)
from portal.mail import MailContent, OutboxMessage
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
    "Announcement",
    "AnnouncementCouncil",
    "AnnouncementCountry",
    "AnnouncementRecipient",
    "AnnouncementRevision",
    "AnnouncementText",
    "Answer",
    "AuditEvent",
    "Choice",
    "Council",
    "CouncilStatus",
    "MailContent",
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

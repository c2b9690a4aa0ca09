"""Councils and the memberships that tie members to them."""

import enum
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.database import TimestampMixin, UTCDateTime, string_enum, utcnow
from portal.extensions import db


class CouncilStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REJECTED = "rejected"


class MembershipRole(enum.StrEnum):
    MEMBER = "member"
    LEADER = "leader"


class MembershipStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    LEFT = "left"


class RejectionReason(enum.StrEnum):
    """Why a leader turned a request down: stored as a code, so that the applicant reads it in
    their own language (portal.councils.labels.REJECTION_REASON)."""

    NOT_LOCAL = "not_local"
    DUPLICATE = "duplicate"
    UNCONFIRMED = "unconfirmed"
    ASKED_TO_LEAVE = "asked_to_leave"
    OTHER = "other"


class CouncilText(NamedTuple):
    """A council's name, city and description for one reader, each with the language it is in
    (a reader's language, or the council's default where that translation is missing)."""

    name: str
    name_lang: str
    city: str | None
    city_lang: str
    description: str
    description_lang: str


class Council(TimestampMixin, db.Model):
    __tablename__ = "councils"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)  # never changes
    # Name, city and description in the council's default language: the one its name was
    # first written in. The other languages are CouncilTranslation rows.
    default_locale: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    name: Mapped[str] = mapped_column(String(120))
    country: Mapped[str] = mapped_column(String(2), index=True)  # ISO 3166-1 alpha-2
    city: Mapped[str | None] = mapped_column(String(80))  # None: a country-wide council
    description: Mapped[str] = mapped_column(Text, default="")
    # Names and cities in every language and the country's name in every locale, as one
    # search key (portal.search), kept by the services that write any of them.
    search_key: Mapped[str] = mapped_column(Text, default="", server_default="")
    status: Mapped[CouncilStatus] = mapped_column(string_enum(CouncilStatus), index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # When its leaders were last mailed that a request waits: at most one such mail a day.
    leaders_told_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Staff set it: every post waits for a moderator before members read it.
    posts_premoderated: Mapped[bool] = mapped_column(Boolean, default=False,
                                                     server_default=false())

    proposed_by: Mapped[User | None] = relationship()
    translations: Mapped[list["CouncilTranslation"]] = relationship(
        back_populates="council", cascade="all, delete-orphan",
        order_by="CouncilTranslation.locale")

    @property
    def is_active(self) -> bool:
        return self.status == CouncilStatus.ACTIVE

    def text_in(self, locale: str) -> CouncilText:
        """What a reader of ``locale`` sees, field by field falling back to the default."""
        own = next((t for t in self.translations if t.locale == locale), None)
        default = self.default_locale

        def pick(field: str):
            value = getattr(own, field, None)
            return (value, locale) if value else (getattr(self, field), default)

        return CouncilText(*pick("name"), *pick("city"), *pick("description"))


class CouncilTranslation(db.Model):
    """A council's name, city and description in a language other than its default."""

    __tablename__ = "council_translations"
    __table_args__ = (UniqueConstraint("council_id", "locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"))
    locale: Mapped[str] = mapped_column(String(8))
    name: Mapped[str | None] = mapped_column(String(120))
    city: Mapped[str | None] = mapped_column(String(80))
    description: Mapped[str | None] = mapped_column(Text)

    council: Mapped[Council] = relationship(back_populates="translations")


class Membership(TimestampMixin, db.Model):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "council_id"),
        Index("ix_memberships_council_status", "council_id", "status"),
        # A council's leaders among thousands of members, on every council page.
        Index("ix_memberships_council_role", "council_id", "role", "status"),
        # The leader's list of thousands of members, a page at a time by name.
        Index("ix_memberships_council_status_name", "council_id", "status", "member_name", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"))
    role: Mapped[MembershipRole] = mapped_column(string_enum(MembershipRole),
                                                 default=MembershipRole.MEMBER)
    status: Mapped[MembershipStatus] = mapped_column(string_enum(MembershipStatus),
                                                     default=MembershipStatus.PENDING)
    is_home: Mapped[bool] = mapped_column(default=False)
    # The member's display name, copied when the row is made (a name never changes; a deleted
    # account loses its memberships): the leader's list pages by it through an index instead
    # of sorting the council's thousands of members on every request.
    member_name: Mapped[str] = mapped_column(String(80), default="", server_default="")
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason_code: Mapped[RejectionReason | None] = mapped_column(string_enum(RejectionReason))
    reason: Mapped[str | None] = mapped_column(Text)  # the decider's note, in their own words

    user: Mapped[User] = relationship(foreign_keys=[user_id], back_populates="memberships")
    council: Mapped[Council] = relationship(lazy="joined")  # shown with every membership
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])

    @property
    def is_leader(self) -> bool:
        return self.role == MembershipRole.LEADER and self.status == MembershipStatus.APPROVED

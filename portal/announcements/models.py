"""The ministry's announcements: texts per language, an audience, and times that decide their
state when they are read (never a stored status that goes stale)."""

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String, Text, and_, false, not_, or_
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.database import TimestampMixin, UTCDateTime, string_enum, utcnow
from portal.extensions import db


class Audience(enum.StrEnum):
    ALL = "all"  # everyone, visitors too
    COUNTRIES = "countries"  # members living in, or belonging to a council in, these countries
    COUNCILS = "councils"  # the approved members of these councils


class State(enum.StrEnum):
    DRAFT = "draft"
    AWAITING_APPROVAL = "awaiting"  # a second staff member must approve before it goes out
    SCHEDULED = "scheduled"
    PUBLISHED = "published"
    EXPIRED = "expired"
    ARCHIVED = "archived"


class Announcement(TimestampMixin, db.Model):
    __tablename__ = "announcements"
    __table_args__ = (Index("ix_announcements_listing", "pinned", "publish_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    default_locale: Mapped[str] = mapped_column(String(8))
    audience: Mapped[Audience] = mapped_column(string_enum(Audience), default=Audience.ALL)
    pinned: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # None: a draft. Otherwise the time it appears, also while it waits for approval.
    publish_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    awaiting_approval: Mapped[bool] = mapped_column(Boolean, default=False,
                                                    server_default=false())
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    approved_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    # Set when staff change it after it was published: readers see that it was updated.
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Raised on each save; a form carries it, so that two staff editing at once do not
    # overwrite each other unseen.
    revision: Mapped[int] = mapped_column(default=1)
    # Mail is owed to members of the audience not mailed yet (announcement_recipients).
    fanout_pending: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false(),
                                                 index=True)

    translations: Mapped[list["AnnouncementText"]] = relationship(
        back_populates="announcement", cascade="all, delete-orphan",
        order_by="AnnouncementText.locale")
    countries: Mapped[list["AnnouncementCountry"]] = relationship(
        cascade="all, delete-orphan", order_by="AnnouncementCountry.country")
    councils: Mapped[list["AnnouncementCouncil"]] = relationship(
        cascade="all, delete-orphan", order_by="AnnouncementCouncil.council_id")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])

    def text_in(self, locale: str) -> "AnnouncementText":
        """The text in ``locale``, else in the default language (whose ``locale`` says so)."""
        by_locale = {text.locale: text for text in self.translations}
        return by_locale.get(locale) or by_locale[self.default_locale]

    def state(self, now: datetime | None = None) -> State:
        now = now or utcnow()
        if self.archived_at is not None:
            return State.ARCHIVED
        if self.publish_at is None:
            return State.DRAFT
        if self.awaiting_approval:
            return State.AWAITING_APPROVAL
        if self.publish_at > now:
            return State.SCHEDULED
        if self.expires_at is not None and self.expires_at <= now:
            return State.EXPIRED
        return State.PUBLISHED


def shown_at(now: datetime):
    """The SQL condition of an announcement readers see at ``now``."""
    return and_(Announcement.publish_at <= now, not_(Announcement.awaiting_approval),
                Announcement.archived_at.is_(None),
                or_(Announcement.expires_at.is_(None), Announcement.expires_at > now))


def in_state(state: State, now: datetime | None = None):
    """The SQL condition of an announcement in ``state`` at ``now`` (as Announcement.state)."""
    now = now or utcnow()
    live = and_(Announcement.archived_at.is_(None), Announcement.publish_at.is_not(None))
    ready = and_(live, not_(Announcement.awaiting_approval))
    return {
        State.DRAFT: and_(Announcement.archived_at.is_(None), Announcement.publish_at.is_(None)),
        State.AWAITING_APPROVAL: and_(live, Announcement.awaiting_approval),
        State.SCHEDULED: and_(ready, Announcement.publish_at > now),
        State.PUBLISHED: shown_at(now),
        State.EXPIRED: and_(ready, Announcement.publish_at <= now,
                            Announcement.expires_at <= now),
        State.ARCHIVED: Announcement.archived_at.is_not(None),
    }[state]


class AnnouncementText(db.Model):
    """Its title and body in one language: the Markdown staff wrote, and the sanitized HTML
    made from it once, when it was saved."""

    __tablename__ = "announcement_texts"

    announcement_id: Mapped[int] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE"), primary_key=True)
    locale: Mapped[str] = mapped_column(String(8), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    body_markdown: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)

    announcement: Mapped[Announcement] = relationship(back_populates="translations")


class AnnouncementCountry(db.Model):
    __tablename__ = "announcement_countries"

    announcement_id: Mapped[int] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE"), primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True, index=True)


class AnnouncementCouncil(db.Model):
    __tablename__ = "announcement_councils"

    announcement_id: Mapped[int] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE"), primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"),
                                            primary_key=True, index=True)


class AnnouncementRevision(db.Model):
    """What a published announcement said before staff changed it."""

    __tablename__ = "announcement_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    announcement_id: Mapped[int] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    edited_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    content: Mapped[dict] = mapped_column(JSON)

    edited_by: Mapped[User | None] = relationship()


class AnnouncementRecipient(db.Model):
    """A member already mailed this announcement: the fan-out's record, which makes it safe to
    run again after a crash and lets a wider audience mail only those newly in it."""

    __tablename__ = "announcement_recipients"

    announcement_id: Mapped[int] = mapped_column(
        ForeignKey("announcements.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True, index=True)

"""Community posts in a council, the reports members make about them, and the ministry's
moderation: decisions with reasons, appeals decided by another moderator, suspensions."""

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.councils.models import Council
from portal.database import UTCDateTime, string_enum, utcnow
from portal.extensions import db


class PostStatus(enum.StrEnum):
    PENDING = "pending"  # waits for a moderator; only its author sees it
    PUBLISHED = "published"
    REJECTED = "rejected"  # refused before publication
    HIDDEN = "hidden"  # taken down after publication, by reports or by a moderator
    DELETED = "deleted"  # by its author; stays in the thread as a line


class ReportReason(enum.StrEnum):
    SPAM = "spam"
    ABUSE = "abuse"  # abuse or harassment
    FALSE = "misinformation"
    PERSONAL_DATA = "personal_data"
    OTHER = "other"


class Action(enum.StrEnum):
    """What a moderation decision did."""

    APPROVE = "approve"  # a pending post published
    REJECT = "reject"  # a pending post refused
    DISMISS = "dismiss"  # a reported post kept, its reports closed
    HIDE = "hide"  # a reported post taken down
    HIDDEN_BY_REPORTS = "auto_hidden"  # no moderator: enough members reported it
    RESTORE = "restore"  # an appeal granted: the post is published again
    UPHOLD = "uphold"  # an appeal refused


class DecisionReason(enum.StrEnum):
    """Why a moderator decided as they did: a code, so each author reads it in their
    language."""

    FOLLOWS_RULES = "follows_rules"
    SPAM = "spam"
    ABUSE = "abuse"
    FALSE = "misinformation"
    PERSONAL_DATA = "personal_data"
    OFF_TOPIC = "off_topic"
    OTHER = "other"


class Post(db.Model):
    __tablename__ = "posts"
    __table_args__ = (
        # A council's threads, newest first, paged by key.
        Index("ix_posts_council_threads", "council_id", "parent_id", "id"),
        # The moderation queue: what is open, oldest first.
        Index("ix_posts_open", "needs_moderation", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                  index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"),
                                                  index=True)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[PostStatus] = mapped_column(string_enum(PostStatus))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Kept on write, so that a page of threads reads no count per post.
    reply_count: Mapped[int] = mapped_column(default=0)
    open_reports: Mapped[int] = mapped_column(default=0)
    # Pending, or reported and not yet decided: in the staff's queue.
    needs_moderation: Mapped[bool] = mapped_column(Boolean, default=False,
                                                   server_default=false())
    # Raised by every change: two moderators deciding at once cannot both succeed.
    version: Mapped[int] = mapped_column(default=1)

    council: Mapped[Council] = relationship()
    author: Mapped[User | None] = relationship()
    parent: Mapped["Post | None"] = relationship(remote_side=[id])


class PostRevision(db.Model):
    """What a post said before its author edited it: for staff only."""

    __tablename__ = "post_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"),
                                         index=True)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PostReport(db.Model):
    """A member's report of a post, with a reason: never shown to its author or to leaders."""

    __tablename__ = "post_reports"
    __table_args__ = (UniqueConstraint("post_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True)
    reason: Mapped[ReportReason] = mapped_column(string_enum(ReportReason))
    text: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a decision took it


class ModerationDecision(db.Model):
    __tablename__ = "moderation_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    moderator_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))  # None: hidden by members' reports
    action: Mapped[Action] = mapped_column(string_enum(Action))
    reason: Mapped[DecisionReason | None] = mapped_column(string_enum(DecisionReason))
    note: Mapped[str] = mapped_column(String(1000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    moderator: Mapped[User | None] = relationship()


class Appeal(db.Model):
    """An author's one appeal against a decision; decided by another moderator."""

    __tablename__ = "appeals"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("moderation_decisions.id", ondelete="CASCADE"), unique=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    outcome_id: Mapped[int | None] = mapped_column(
        ForeignKey("moderation_decisions.id", ondelete="SET NULL"))

    decision: Mapped[ModerationDecision] = relationship(foreign_keys=[decision_id])


class PostingSuspension(db.Model):
    """A member may not post (in one council, or anywhere) until a time, for a reason."""

    __tablename__ = "posting_suspensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    council_id: Mapped[int | None] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"))
    until: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

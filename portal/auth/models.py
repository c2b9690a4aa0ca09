"""Accounts."""

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String, event, false, text, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import TimestampMixin, UTCDateTime, string_enum
from portal.extensions import db
from portal.search import joined_key

if TYPE_CHECKING:  # declared by the packages that build on accounts
    from portal.councils.models import Membership
    from portal.members.models import Profile


class Role(enum.StrEnum):
    MEMBER = "member"
    STAFF = "staff"
    ADMIN = "admin"


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)  # None once anonymized
    password_hash: Mapped[str | None] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(80))
    locale: Mapped[str] = mapped_column(String(8))
    role: Mapped[Role] = mapped_column(string_enum(Role), default=Role.MEMBER)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    privacy_version: Mapped[str] = mapped_column(String(16))
    privacy_accepted_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Part of the login token: raising it ends every session of this user on the server side.
    session_version: Mapped[int] = mapped_column(default=1)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    suspended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two-factor authentication (TOTP): the secret, the last time step accepted (a code works
    # once only), and the secret being enrolled, kept here rather than in the readable session
    # cookie until a code confirms it.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    totp_pending_secret: Mapped[str | None] = mapped_column(String(64))
    # Made by `demo load`: a production start refuses to serve while such an account exists.
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Where dates and times are shown for this person (an IANA zone); None: from the country
    # of residence, else Asia/Baghdad.
    time_zone: Mapped[str | None] = mapped_column(String(64))
    # The display name and email as one search key for staff (portal.search), kept on write.
    search_key: Mapped[str] = mapped_column(String(400), default="", server_default="")
    # Announcements: mailed or not; the time up to which the member has seen them (None:
    # since the account was made); the version in the unsubscribe links, raised when the member
    # subscribes again so that an old link cannot unsubscribe them behind their back.
    announcement_mail: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    announcements_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unsubscribe_version: Mapped[int] = mapped_column(default=1, server_default=text("1"))

    profile: Mapped["Profile | None"] = relationship(back_populates="user")
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", foreign_keys="Membership.user_id",
        order_by="Membership.requested_at", cascade="all, delete-orphan")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.deleted_at is None and self.suspended_at is None

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


@event.listens_for(User, "before_insert")
@event.listens_for(User, "before_update")
def _keep_search_key(_mapper, _connection, user: User) -> None:
    user.search_key = joined_key(user.display_name, user.email)


class RecoveryCode(db.Model):
    """A single-use 2FA recovery code, kept as a keyed digest (HMAC-SHA256 with a server key).

    Codes made before keyed digests existed carry a plain SHA-256 digest (``keyed`` false) and
    keep working until they are used or replaced.
    """

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64))
    keyed: Mapped[bool] = mapped_column(Boolean, default=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class RememberToken(db.Model):
    """A "keep me logged in" token: only its digest is stored; it rotates on each use."""

    __tablename__ = "remember_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    device: Mapped[str] = mapped_column(String(120), default="")  # from the User-Agent, shown
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)

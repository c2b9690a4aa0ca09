"""Accounts."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, String, text
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import TimestampMixin, UTCDateTime, string_enum
from portal.extensions import db


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
    # once only) and the SHA-256 digests of the unused recovery codes.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    recovery_code_hashes: Mapped[list[str]] = mapped_column(JSON, default=list,
                                                            server_default=text("'[]'"))

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

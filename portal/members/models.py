"""The member's profile: where they live, where they come from, what they can do."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.database import TimestampMixin, UTCDateTime
from portal.extensions import db
from portal.members.choices import DEFAULT_SHARED


class Profile(TimestampMixin, db.Model):
    __tablename__ = "profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    city: Mapped[str | None] = mapped_column(String(80))
    governorate: Mapped[str | None] = mapped_column(String(8), index=True)
    year_left: Mapped[int | None]
    occupation: Mapped[str | None] = mapped_column(String(120))
    skills: Mapped[str | None] = mapped_column(Text)
    languages: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    # Sensitive: staff only, never leaders; each staff view is an audit event.
    residence_status: Mapped[str | None] = mapped_column(String(24))
    documentation_needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    sensitive_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shared_with_leaders: Mapped[list[str]] = mapped_column(
        JSON, default=lambda: list(DEFAULT_SHARED))

    user: Mapped[User] = relationship(back_populates="profile")

"""The member's profile: where they live, where they come from, what they can do."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.database import TimestampMixin, UTCDateTime
from portal.extensions import db
from portal.members.choices import DEFAULT_SHARED
from portal.search import search_key


class Profile(TimestampMixin, db.Model):
    __tablename__ = "profiles"
    # Staff filter members by country or governorate, newest first: these serve both at once.
    __table_args__ = (Index("ix_profiles_country_user_id", "country", "user_id"),
                      Index("ix_profiles_governorate_user_id", "governorate", "user_id"))

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    country: Mapped[str | None] = mapped_column(String(2))
    city: Mapped[str | None] = mapped_column(String(80))
    governorate: Mapped[str | None] = mapped_column(String(8))
    year_left: Mapped[int | None]
    occupation: Mapped[str | None] = mapped_column(String(120))
    skills: Mapped[str | None] = mapped_column(Text)
    languages: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    # Search keys for staff, kept on write: the city as readers of every script type it, and
    # the phone number's digits alone (+90 532 555 0101 is found as 5325550101).
    city_key: Mapped[str] = mapped_column(String(80), default="", server_default="")
    phone_key: Mapped[str] = mapped_column(String(32), default="", server_default="")
    # Sensitive: staff only, never leaders; each staff view is an audit event.
    residence_status: Mapped[str | None] = mapped_column(String(24))
    documentation_needs: Mapped[list[str]] = mapped_column(JSON, default=list)
    sensitive_updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    shared_with_leaders: Mapped[list[str]] = mapped_column(
        JSON, default=lambda: list(DEFAULT_SHARED))

    user: Mapped[User] = relationship(back_populates="profile")


@event.listens_for(Profile, "before_insert")
@event.listens_for(Profile, "before_update")
def _keep_search_keys(_mapper, _connection, profile: Profile) -> None:
    profile.city_key = search_key(profile.city)
    profile.phone_key = phone_digits(profile.phone)


def phone_digits(text: str | None) -> str:
    return "".join(c for c in search_key(text) if c.isdigit())

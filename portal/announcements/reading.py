"""Reading announcements: what a reader may see now, in their language."""

from datetime import datetime

from flask_login import current_user
from sqlalchemy import Select, select
from sqlalchemy.orm import load_only, selectinload

from portal.announcements.audience import readable_by
from portal.announcements.models import (
    Announcement,
    AnnouncementCouncil,
    AnnouncementText,
    Audience,
    shown_at,
)
from portal.database import utcnow
from portal.extensions import db
from portal.pagination import NumberedPage, numbered_limits, numbered_page

PER_PAGE = 20
# A list shows titles: the bodies stay in the database.
_TITLES = selectinload(Announcement.translations).options(
    load_only(AnnouncementText.locale, AnnouncementText.title))


def _newest_first(query: Select) -> Select:
    return query.order_by(Announcement.pinned.desc(), Announcement.publish_at.desc(),
                          Announcement.id.desc())


def readable(user=None, now: datetime | None = None) -> Select:
    """The announcements ``user`` (by default the current one) may read at ``now``."""
    return select(Announcement).where(shown_at(now or utcnow()), readable_by(user))


def page(number: int) -> NumberedPage:
    """A page of what the current reader may read: pinned first, newest next (3 statements)."""
    query = _newest_first(readable()).options(_TITLES)
    return numbered_page(db.session.scalars(numbered_limits(query, number, PER_PAGE)).all(),
                         number, PER_PAGE)


def find(announcement_id: int) -> Announcement | None:
    """The announcement, if the current reader may read it now."""
    return db.session.scalars(readable().where(Announcement.id == announcement_id)
                              .options(selectinload(Announcement.translations))).first()


def latest(limit: int = 5) -> list[Announcement]:
    return db.session.scalars(_newest_first(readable()).options(_TITLES).limit(limit)).all()


def for_council(council_id: int, limit: int = 5) -> list[Announcement]:
    """The latest announcements aimed at a council that the current reader may read."""
    return db.session.scalars(
        _newest_first(readable().where(Announcement.id.in_(
            select(AnnouncementCouncil.announcement_id)
            .where(AnnouncementCouncil.council_id == council_id))))
        .options(_TITLES).limit(limit)).all()


def public_feed(limit: int = 50) -> list[Announcement]:
    """The public announcements, newest first, for the Atom feed."""
    return db.session.scalars(
        select(Announcement).where(shown_at(utcnow()), Announcement.audience == Audience.ALL)
        .order_by(Announcement.publish_at.desc(), Announcement.id.desc()).limit(limit)
        .options(selectinload(Announcement.translations))).all()


def seen_since() -> datetime | None:
    """Announcements published after this time are new to the current member."""
    if not current_user.is_authenticated:
        return None
    return current_user.announcements_seen_at or current_user.created_at


def mark_seen(user) -> None:
    user.announcements_seen_at = utcnow()

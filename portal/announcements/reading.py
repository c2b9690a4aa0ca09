"""Reading announcements: what a reader may see now, in their language."""

from datetime import datetime
from typing import NamedTuple

from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import Select, and_, case, select
from sqlalchemy.orm import aliased, selectinload

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


class Listed(NamedTuple):
    """An announcement in a list: its title in the reader's language, else in its default
    language (``locale`` says which)."""

    id: int
    pinned: bool
    publish_at: datetime
    corrected_at: datetime | None
    locale: str
    title: str


def _titles(query: Select) -> Select:
    """``query``'s announcements as Listed rows, newest first after the pinned ones, each
    joined to one title: the reader's language when written, else the default language.
    One statement and no objects: lists are the portal's busiest pages."""
    locale = str(get_locale())
    written = aliased(AnnouncementText)
    in_reader_language = select(written.locale).where(
        written.announcement_id == Announcement.id, written.locale == locale).exists()
    chosen = case((in_reader_language, locale), else_=Announcement.default_locale)
    return (query.with_only_columns(Announcement.id, Announcement.pinned,
                                    Announcement.publish_at, Announcement.corrected_at,
                                    AnnouncementText.locale, AnnouncementText.title)
            .join(AnnouncementText, and_(AnnouncementText.announcement_id == Announcement.id,
                                         AnnouncementText.locale == chosen))
            .order_by(Announcement.pinned.desc(), Announcement.publish_at.desc(),
                      Announcement.id.desc()))


def _listed(query: Select) -> list[Listed]:
    return [Listed(*row) for row in db.session.execute(query)]


def readable(user=None, now: datetime | None = None) -> Select:
    """The announcements ``user`` (by default the current one) may read at ``now``."""
    return select(Announcement).where(shown_at(now or utcnow()), readable_by(user))


def page(number: int) -> NumberedPage:
    """A page of what the current reader may read: pinned first, newest next."""
    query = numbered_limits(_titles(readable()), number, PER_PAGE)
    return numbered_page(_listed(query), number, PER_PAGE)


def find(announcement_id: int) -> Announcement | None:
    """The announcement, if the current reader may read it now."""
    return db.session.scalars(readable().where(Announcement.id == announcement_id)
                              .options(selectinload(Announcement.translations))).first()


def latest(limit: int = 5) -> list[Listed]:
    return _listed(_titles(readable()).limit(limit))


def for_council(council_id: int, limit: int = 5) -> list[Listed]:
    """The latest announcements aimed at a council, for a page that has checked that the
    reader belongs to it (or is staff): no other audience rule applies."""
    return _listed(_titles(select(Announcement).where(
        shown_at(utcnow()), Announcement.audience == Audience.COUNCILS,
        Announcement.id.in_(select(AnnouncementCouncil.announcement_id)
                            .where(AnnouncementCouncil.council_id == council_id))))
        .limit(limit))


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

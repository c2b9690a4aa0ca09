"""Reading announcements: what a reader may see now, in their language."""

from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from flask_babel import get_locale
from flask_login import current_user
from sqlalchemy import Select, and_, bindparam, case, select
from sqlalchemy.orm import aliased, selectinload

from portal.announcements.audience import readable_by, reader_kind, reader_params
from portal.announcements.models import (
    Announcement,
    AnnouncementCouncil,
    AnnouncementText,
    Audience,
    shown_at,
)
from portal.database import UTCDateTime, utcnow
from portal.extensions import db
from portal.pagination import NumberedPage, numbered_page

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


NOW = bindparam("now", type_=UTCDateTime())
COUNCIL = bindparam("council")


@lru_cache(maxsize=256)
def _titles(kind: str, locale: str, council: bool, limit: int, offset: int = 0) -> Select:
    """The announcements a kind of reader may read at NOW (those aimed at COUNCIL when
    ``council``), pinned first, newest next, each joined to one title: in ``locale`` when
    written, else in the default language. The page is chosen first and only its rows are
    joined to their titles (PostgreSQL otherwise joins every announcement before sorting).
    One statement and no objects, built once per shape: lists are the busiest pages."""
    query = select(Announcement.id, Announcement.pinned, Announcement.publish_at,
                   Announcement.corrected_at, Announcement.default_locale)
    if council:
        query = query.where(Announcement.audience == Audience.COUNCILS, Announcement.id.in_(
            select(AnnouncementCouncil.announcement_id)
            .where(AnnouncementCouncil.council_id == COUNCIL)))
    else:
        query = query.where(readable_by(kind))
    newest = (Announcement.pinned.desc(), Announcement.publish_at.desc(),
              Announcement.id.desc())
    page = query.where(shown_at(NOW)).order_by(*newest).limit(limit).offset(offset).subquery()
    written = aliased(AnnouncementText)
    in_reader_language = select(written.locale).where(
        written.announcement_id == page.c.id, written.locale == locale).exists()
    chosen = case((in_reader_language, locale), else_=page.c.default_locale)
    return (select(page.c.id, page.c.pinned, page.c.publish_at, page.c.corrected_at,
                   AnnouncementText.locale, AnnouncementText.title)
            .join(AnnouncementText, and_(AnnouncementText.announcement_id == page.c.id,
                                         AnnouncementText.locale == chosen))
            .order_by(page.c.pinned.desc(), page.c.publish_at.desc(), page.c.id.desc()))


def _listed(council: int | None = None, limit: int = 5, offset: int = 0) -> list[Listed]:
    kind = reader_kind()
    params = {"now": utcnow(), **(reader_params() if council is None else {"council": council})}
    query = _titles(kind, str(get_locale()), council is not None, limit, offset)
    return [Listed(*row) for row in db.session.execute(query, params)]


def readable(user=None, now: datetime | None = None) -> Select:
    """The announcements ``user`` (by default the current one) may read at ``now``."""
    return select(Announcement).where(shown_at(now or utcnow()),
                                      readable_by(reader_kind(user))).params(
        reader_params(user))


def page(number: int) -> NumberedPage:
    """A page of what the current reader may read: pinned first, newest next."""
    rows = _listed(limit=PER_PAGE + 1, offset=(number - 1) * PER_PAGE)
    return numbered_page(rows, number, PER_PAGE)


def find(announcement_id: int) -> Announcement | None:
    """The announcement, if the current reader may read it now."""
    return db.session.scalars(readable().where(Announcement.id == announcement_id)
                              .options(selectinload(Announcement.translations))).first()


def latest(limit: int = 5) -> list[Listed]:
    return _listed(limit=limit)


def for_council(council_id: int, limit: int = 5) -> list[Listed]:
    """The latest announcements aimed at a council, for a page that has checked that the
    reader belongs to it (or is staff): no other audience rule applies."""
    return _listed(council=council_id, limit=limit)


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

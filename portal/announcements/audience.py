"""Who an announcement is for, as SQL: the members it reaches (for mail and the four-eyes
rule), and the announcements a reader may see."""

from collections.abc import Collection
from functools import cache

from flask_login import current_user
from sqlalchemy import and_, bindparam, func, or_, select, true
from sqlalchemy.orm import aliased

from portal.announcements.models import (
    Announcement,
    AnnouncementCouncil,
    AnnouncementCountry,
    Audience,
)
from portal.auth.models import Role, User
from portal.councils.models import Council, Membership, MembershipStatus
from portal.extensions import db
from portal.members.models import Profile

_APPROVED = Membership.status == MembershipStatus.APPROVED


def reach(audience: Audience, countries: Collection[str], council_ids: Collection[int],
          ids: tuple[int, int] | None = None):
    """The SQL condition of a member account that an audience reaches: active, with a verified
    address, and living in one of ``countries`` or belonging to a council there, or an approved
    member of one of ``council_ids``; only accounts with ids in (low, high] when ``ids`` is
    given. Correlated EXISTS, not IN: the fan-out reads members a batch at a time, and SQLite
    would rebuild an IN list of the whole audience for each."""
    member = and_(User.role == Role.MEMBER, User.deleted_at.is_(None),
                  User.suspended_at.is_(None), User.email_verified_at.is_not(None))
    if ids is not None:
        member = and_(member, User.id > ids[0], User.id <= ids[1])
    if audience == Audience.ALL:
        return member
    # Aliases: a query that also joins profiles (a count by country) must not correlate them.
    lives, belongs = aliased(Profile), aliased(Membership)
    # The id bounds again inside: PostgreSQL runs these EXISTS as a hash of every account they
    # match, built anew for each batch of a fan-out (0.1 s at 100,000), unless bounded too.
    within = (lambda column: column.between(ids[0] + 1, ids[1])) if ids else (lambda _: true())
    approved = select(belongs.id).where(belongs.user_id == User.id, within(belongs.user_id),
                                        belongs.status == MembershipStatus.APPROVED)
    if audience == Audience.COUNTRIES:
        return and_(member, or_(
            select(lives.user_id).where(lives.user_id == User.id, within(lives.user_id),
                                        lives.country.in_(countries)).exists(),
            approved.join(Council, Council.id == belongs.council_id)
            .where(Council.country.in_(countries)).exists()))
    return and_(member, approved.where(belongs.council_id.in_(council_ids)).exists())


def reach_of(announcement: Announcement, ids: tuple[int, int] | None = None):
    return reach(announcement.audience, [row.country for row in announcement.countries],
                 [row.council_id for row in announcement.councils], ids)


def count_by_country(condition) -> list[tuple[str | None, int]]:
    """How many members ``condition`` reaches in each country of residence (None: not given),
    the largest first."""
    count = func.count(User.id)
    return db.session.execute(
        select(Profile.country, count).select_from(User).outerjoin(Profile)
        .where(condition).group_by(Profile.country).order_by(count.desc())).all()


def count(condition) -> int:
    return db.session.scalar(select(func.count(User.id)).where(condition))


def reader_kind(user=None) -> str:
    user = user if user is not None else current_user
    if not user.is_authenticated:
        return "visitor"
    return "staff" if user.is_staff else "member"


def reader_params(user=None) -> dict:
    """The values readable_by(reader_kind(user)) is executed with."""
    user = user if user is not None else current_user
    return {"reader": user.id} if reader_kind(user) == "member" else {}


@cache
def readable_by(kind: str):
    """The SQL condition of an announcement meant for a kind of reader: visitors read those for
    everyone; members those for everyone, their countries (where they live and where their
    approved councils are) and their councils (the parameter ``reader``, from reader_params);
    staff all of them. Built once: the lists are the busiest pages, and building an
    expression costs more than running it."""
    if kind == "visitor":
        return Announcement.audience == Audience.ALL
    if kind == "staff":
        return true()
    # The reader's places are found inside the statement: one query less on every list.
    reader = bindparam("reader")
    councils = select(Membership.council_id).where(Membership.user_id == reader, _APPROVED)
    countries = select(Profile.country).where(Profile.user_id == reader).union(
        select(Council.country).where(Council.id.in_(councils)))
    return or_(
        Announcement.audience == Audience.ALL,
        and_(Announcement.audience == Audience.COUNTRIES, Announcement.id.in_(
            select(AnnouncementCountry.announcement_id).where(
                AnnouncementCountry.country.in_(countries)))),
        and_(Announcement.audience == Audience.COUNCILS, Announcement.id.in_(
            select(AnnouncementCouncil.announcement_id).where(
                AnnouncementCouncil.council_id.in_(councils)))))

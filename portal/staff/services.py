"""Staff reading tools: member search and export, the audit log. Callers commit.

Every query binds its values as parameters; LIKE patterns escape %, _ and the backslash,
so whatever a staff member types is matched literally.
"""

import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from portal import audit
from portal.audit import AuditEvent
from portal.auth.models import Role, User
from portal.councils.models import (
    Council,
    CouncilStatus,
    CouncilTranslation,
    Membership,
    MembershipStatus,
)
from portal.database import contains, escape_like
from portal.extensions import db
from portal.members.models import Profile, phone_digits
from portal.pagination import PER_PAGE, NumberedPage, numbered_limits, numbered_page
from portal.search import matches

EXPORT_BATCH = 500
CSV_HEADER = ("id", "display_name", "email", "country", "city", "governorate", "year_left",
              "occupation", "skills", "languages", "phone", "councils")


@dataclass(frozen=True)
class MemberFilters:
    q: str = ""
    country: str = ""
    city: str = ""
    council: str = ""
    governorate: str = ""
    skills: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping) -> "MemberFilters":
        return cls(**{f.name: (data.get(f.name) or "").strip() for f in fields(cls)})

    def active(self) -> dict[str, str]:
        """The filters in use, for links that keep them and for the audit log."""
        return {name: value for name, value in asdict(self).items() if value}


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""
    date_from: date | None = None
    date_to: date | None = None
    time_zone: str = "UTC"  # whose days date_from and date_to are


class CouncilName(NamedTuple):
    slug: str
    name: str
    lang: str  # the language it is written in: the reader's, else the council's default


class MemberListRow(NamedTuple):
    """A line of the staff's member list: only the columns it shows, no ORM objects (a page of
    whole users and profiles took longer to load than the page took to render)."""

    id: int
    display_name: str
    email: str
    country: str | None
    city: str | None
    governorate: str | None
    councils: list[CouncilName]


LIST_COLUMNS = (User.id, User.display_name, User.email, Profile.country, Profile.city,
                Profile.governorate)


@dataclass
class MemberRow:
    user: User
    profile: Profile | None
    memberships: list[Membership]

    @property
    def council_slugs(self) -> list[str]:
        return [m.council.slug for m in self.memberships]



def _member_query(filters: MemberFilters, *columns):
    """Members (not staff accounts, not deleted ones) matching every filter given: their
    ``columns``, or the User and Profile objects."""
    query = (select(*(columns or (User, Profile))).select_from(User)
             .outerjoin(Profile, Profile.user_id == User.id)
             .where(User.role == Role.MEMBER, User.deleted_at.is_(None)))
    if filters.q:
        query = query.where(_name_email_or_phone(filters.q))
    if filters.country:
        query = query.where(Profile.country == filters.country.upper())
    if filters.city:
        query = query.where(matches(Profile.city_key, filters.city))
    if filters.governorate:
        query = query.where(Profile.governorate == filters.governorate)
    if filters.skills:
        query = query.where(contains(Profile.skills, filters.skills))
    if filters.council:
        query = query.where(User.id.in_(
            select(Membership.user_id).join(Council, Membership.council_id == Council.id)
            .where(Council.slug == filters.council,
                   Membership.status == MembershipStatus.APPROVED)))
    return query


def _name_email_or_phone(text: str):
    """The search box: a name or an email in any script (search keys), or four or more digits
    of a phone number written any way (+90 532…, 0532…, ٠٥٣٢…)."""
    found = matches(User.search_key, text)
    if len(digits := phone_digits(text)) >= 4:
        found = or_(found, Profile.phone_key.like(f"%{digits}%"))
    return found


def _newest_first(filters: MemberFilters):
    """Newest accounts first. Filtered by a profile column, the same order read from the
    profile's (column, user_id) index, which SQLite and PostgreSQL then walk backwards and
    stop after a page, instead of sorting every match."""
    return Profile.user_id.desc() if filters.country or filters.governorate else User.id.desc()


def _rows(pairs: list) -> list[MemberRow]:
    """Attach each user's approved memberships and their councils: two queries for any page."""
    memberships: dict[int, list[Membership]] = {user.id: [] for user, _ in pairs}
    if pairs:
        found = db.session.scalars(
            select(Membership)
            .where(Membership.user_id.in_(list(memberships)),
                   Membership.status == MembershipStatus.APPROVED)
            .options(selectinload(Membership.council).selectinload(Council.translations))
            .order_by(Membership.id))
        for membership in found:
            memberships[membership.user_id].append(membership)
    return [MemberRow(user, profile, memberships[user.id]) for user, profile in pairs]


def search_members(filters: MemberFilters, page: int = 1, per_page: int = PER_PAGE,
                   locale: str = "en") -> NumberedPage:
    """One page of members, newest first (MemberListRow), their councils named in ``locale``:
    two statements."""
    query = numbered_limits(_member_query(filters, *LIST_COLUMNS)
                            .order_by(_newest_first(filters)), page, per_page)
    found = numbered_page(db.session.execute(query).all(), page, per_page)
    councils = _council_names([row.id for row in found.items], locale)
    return found._replace(items=[MemberListRow(*row, councils.get(row.id, []))
                                 for row in found.items])


def _council_names(user_ids: list[int], locale: str) -> dict[int, list[CouncilName]]:
    """Each user's approved councils, named in ``locale`` where a translation has the name."""
    translated = and_(CouncilTranslation.council_id == Council.id,
                      CouncilTranslation.locale == locale)
    rows = db.session.execute(
        select(Membership.user_id, Council.slug, Council.name, Council.default_locale,
               CouncilTranslation.name)
        .join(Council, Membership.council_id == Council.id).outerjoin(CouncilTranslation,
                                                                      translated)
        .where(Membership.user_id.in_(user_ids), Membership.status == MembershipStatus.APPROVED)
        .order_by(Membership.id)) if user_ids else ()
    names: dict[int, list[CouncilName]] = defaultdict(list)
    for user_id, slug, name, default_locale, own in rows:
        names[user_id].append(CouncilName(slug, own or name, locale if own else default_locale))
    return names


def find_member(user_id: int) -> MemberRow | None:
    """A member's full record for staff; None for unknown, deleted or non-member accounts."""
    pair = db.session.execute(
        _member_query(MemberFilters()).where(User.id == user_id)).first()
    return _rows([pair])[0] if pair else None


def record_sensitive_view(row: MemberRow) -> None:
    """Staff are about to see the member's sensitive fields: that is always logged."""
    audit.record("sensitive.viewed", row.user,
                 fields=["residence_status", "documentation_needs"])


def _all_rows(filters: MemberFilters) -> Iterator[MemberRow]:
    """Every match in batches keyed by id, so memory and queries grow in steps of a batch."""
    last_id = None
    while True:
        query = _member_query(filters).order_by(_newest_first(filters)).limit(EXPORT_BATCH)
        if last_id is not None:
            query = query.where(User.id < last_id)
        pairs = db.session.execute(query).all()
        yield from _rows(pairs)
        if len(pairs) < EXPORT_BATCH:
            return
        last_id = pairs[-1][0].id


def _csv_record(row: MemberRow) -> list:
    p = row.profile
    values = [row.user.id, row.user.display_name, row.user.email]
    values += [getattr(p, name, None) for name in CSV_HEADER[3:11]]
    values.append(" ".join(row.council_slugs))
    return values


def member_records(filters: MemberFilters) -> Iterator[list]:
    """Every member matching the filters as CSV records (codes, not labels: for spreadsheets)."""
    return map(_csv_record, _all_rows(filters))


def export_members(filters: MemberFilters) -> Iterator[list]:
    """member_records, once the export is on record as a "members.exported" audit event."""
    count = db.session.scalar(select(func.count()).select_from(_member_query(filters).subquery()))
    audit.record("members.exported", filters=audited_filters(filters), rows=count)
    return member_records(filters)


MAX_AUDITED_MATCHES = 100


def audited_filters(filters: MemberFilters) -> dict:
    """The filters as the audit log keeps them: a search for a name, an email or a phone
    number is kept as the ids of the accounts it matched (a keyed digest when they are many
    or none), never as the text, so a deleted member's email does not live on in the log."""
    kept = filters.active()
    if search := kept.pop("q", None):
        ids = list(db.session.scalars(
            _member_query(MemberFilters(q=search)).with_only_columns(User.id)
            .order_by(User.id).limit(MAX_AUDITED_MATCHES + 1)))
        if 0 < len(ids) <= MAX_AUDITED_MATCHES:
            kept["q_accounts"] = ids
        else:
            kept["q_digest"] = search_digest(search)
    return kept


def search_digest(text: str) -> str:
    key = current_app.secret_key.encode()
    return hmac.new(key, b"audit-search:" + text.casefold().encode(), hashlib.sha256).hexdigest()


def active_councils() -> list[tuple[str, str]]:
    """(slug, name) of every active council, by name: the choices of the council filter."""
    return list(db.session.execute(
        select(Council.slug, Council.name).where(Council.status == CouncilStatus.ACTIVE)
        .order_by(Council.name, Council.slug)).all())


def _day_start(day: date, zone: str) -> datetime:
    return datetime.combine(day, time.min, tzinfo=ZoneInfo(zone))


def audit_events(filters: AuditFilters, page: int = 1,
                 per_page: int = PER_PAGE) -> NumberedPage:
    """Audit events, newest first. Dates are whole days in the filters' time zone (the reader's,
    so that "today" means their today), both ends included."""
    query = numbered_limits(_audit_query(filters), page, per_page)
    return numbered_page(list(db.session.scalars(query).unique()), page, per_page)


def _audit_query(filters: AuditFilters):
    """Matching events, newest first, in the order of the (created_at, id) index."""
    query = select(AuditEvent)
    if filters.action:  # an action, or a family of them: "moderation" is moderation.*
        query = query.where(or_(AuditEvent.action == filters.action, AuditEvent.action.like(
            f"{escape_like(filters.action)}.%", escape="\\")))
    if filters.actor:
        query = query.where(AuditEvent.actor_id.in_(
            select(User.id).where(User.email == filters.actor.strip().lower())))
    zone = filters.time_zone
    if filters.date_from and filters.date_from > date.min:  # its start east of UTC is year 0
        query = query.where(AuditEvent.created_at >= _day_start(filters.date_from, zone))
    if filters.date_to and filters.date_to < date.max:
        day_after = filters.date_to + timedelta(1)
        query = query.where(AuditEvent.created_at < _day_start(day_after, zone))
    return query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())

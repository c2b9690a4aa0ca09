"""Council rules: creating and proposing councils, joining, deciding, leading. Callers commit."""

import re
import unicodedata
from collections.abc import Iterator, Mapping
from datetime import timedelta
from typing import NamedTuple

from blinker import Namespace
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, lazyload, selectinload

from portal import audit
from portal.auth.models import User
from portal.councils.labels import REJECTION_REASON
from portal.councils.models import (
    Council,
    CouncilStatus,
    CouncilTranslation,
    Membership,
    MembershipRole,
    MembershipStatus,
    RejectionReason,
)
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import LOCALES, country_name_in
from portal.mail import link, queue_mail
from portal.pagination import (
    PER_PAGE,
    KeyPage,
    NumberedPage,
    key_page,
    numbered_limits,
    numbered_page,
)
from portal.search import joined_key, matches, search_key

PUBLIC_COUNT_FLOOR = 10  # smaller groups are shown as "fewer than 10"
LEADER_MAIL_INTERVAL = timedelta(days=1)  # leaders hear of waiting requests at most this often

# Sent with the council and its former country (``was``) when staff move a council: what is
# counted by country elsewhere (the needs tallies) is counted again, in the same transaction.
council_moved = Namespace().signal("council-moved")


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60]


def unique_slug(country: str, name: str, city: str | None) -> str:
    """``tr-istanbul``; a name in a non-Latin script falls back to the country and a number."""
    stem = "-".join(filter(None, [country.lower(), slugify(city or "") or slugify(name)]))
    slug, n = stem, 1
    while db.session.scalar(select(Council.id).where(Council.slug == slug)) is not None:
        n += 1
        slug = f"{stem}-{n}"
    return slug


def place_key(country: str, *texts: str | None) -> str:
    """The search key of a council: its names and cities as given, then its country's name
    in every locale (so that ``تركيا``, ``Türkei`` and ``Turkey`` all find it)."""
    return joined_key(*texts, *(country_name_in(country, locale) for locale in LOCALES))


def refresh_search_key(council: Council) -> None:
    texts = [council.name, council.city]
    for translation in council.translations:
        texts += [translation.name, translation.city]
    council.search_key = place_key(council.country, *texts)


def create_council(name: str, country: str, city: str | None = None, description: str = "",
                   status: CouncilStatus = CouncilStatus.ACTIVE,
                   proposed_by: User | None = None, locale: str = "en") -> Council:
    """A council whose name, city and description are written in ``locale`` (its default
    language; other languages are added with set_texts)."""
    council = Council(
        name=name.strip(), country=country.upper(), city=(city or "").strip() or None,
        description=(description or "").strip(), status=status, proposed_by=proposed_by,
        default_locale=locale,
    )
    refresh_search_key(council)
    _insert_with_free_slug(council)
    audit.record("council.created", council, status=status.value)
    return council


def _insert_with_free_slug(council: Council, attempts: int = 5) -> None:
    """Take the first free slug; when another request takes it at the same moment, the
    unique constraint refuses this insert and the next number is tried."""
    for _attempt in range(attempts):
        council.slug = unique_slug(council.country, council.name, council.city)
        try:
            with db.session.begin_nested():
                db.session.add(council)
        except IntegrityError:
            continue
        return
    raise DomainError(_l("Please try again in a moment."))


class DuplicateCouncil(DomainError):
    """The place already has a council (``council``), proposed or active."""

    def __init__(self, council: Council):
        super().__init__(_l("There is already a council for this place."))
        self.council = council


def council_for_place(country: str, city: str | None) -> Council | None:
    """A proposed or active council of the same country and city (``Malmö`` = ``malmo``), or of
    the whole country when ``city`` is empty."""
    place = slugify(city or "")
    candidates = db.session.scalars(select(Council).where(
        Council.country == country.upper(),
        Council.status.in_((CouncilStatus.PROPOSED, CouncilStatus.ACTIVE))).order_by(Council.id))
    return next((c for c in candidates if slugify(c.city or "") == place), None)


def propose_council(user: User, name: str, country: str, city: str | None,
                    description: str, locale: str = "en") -> Council:
    """A member asks the ministry to open a council for their city, writing in ``locale``;
    staff decide. A place has one council: a second proposal for it is refused and points
    to the first."""
    if existing := council_for_place(country, city):
        raise DuplicateCouncil(existing)
    return create_council(name, country, city, description, CouncilStatus.PROPOSED, user,
                          locale)


def decide_proposal(council: Council, approve: bool, reason: str) -> None:
    """Staff approve or reject a proposed council; the proposer is told in their language."""
    if council.status != CouncilStatus.PROPOSED:
        raise DomainError(_l("This council is not waiting for a decision."))
    council.status = CouncilStatus.ACTIVE if approve else CouncilStatus.REJECTED
    council.decision_reason = reason.strip() or None
    audit.record("council.approved" if approve else "council.rejected", council, reason=reason)
    proposer = council.proposed_by
    if proposer and proposer.is_active:
        queue_mail(proposer.email, proposer.locale, "council_proposal_decided",
                   user=proposer, council=council, approved=approve, reason=reason,
                   url=link("councils.show", slug=council.slug))
        if approve:
            membership = _membership_for(proposer, council)
            _approve(membership)
            membership.role = MembershipRole.LEADER


def set_status(council: Council, status: CouncilStatus) -> None:
    """Suspend or reactivate a council (proposals go through decide_proposal)."""
    if council.status in (CouncilStatus.PROPOSED, CouncilStatus.REJECTED):
        raise DomainError(_l("Decide on the proposal first."))
    council.status = status
    audit.record("council.status_changed", council, status=status.value)


class PlaceTexts(NamedTuple):
    """A council's name, city and description as typed in one language (None: not given)."""

    name: str | None
    city: str | None
    description: str | None


def update_council(council: Council, country: str, default_locale: str,
                   texts: Mapping[str, PlaceTexts]) -> None:
    """Save the council's country and its texts in every language given. The default
    language's name is required; a language left empty loses its translation. The slug
    never changes, so links and bookmarks keep working."""
    default = texts.get(default_locale)
    if default is None or not _clean(default.name):
        raise DomainError(_l("Please give the council's name in its default language."))
    was = council.country
    council.country, council.default_locale = country.upper(), default_locale
    council.name, council.city = _clean(default.name), _clean(default.city)
    council.description = _clean(default.description) or ""
    kept = {locale: t for locale, t in texts.items()
            if locale != default_locale and any(map(_clean, t))}
    council.translations = [
        CouncilTranslation(locale=locale, name=_clean(t.name), city=_clean(t.city),
                           description=_clean(t.description))
        for locale, t in sorted(kept.items())]
    refresh_search_key(council)
    audit.record("council.updated", council)
    if council.country != was:
        council_moved.send(council, was=was)


def _clean(text: str | None) -> str | None:
    return (text or "").strip() or None


def find_council(slug: str, *statuses: CouncilStatus) -> Council | None:
    """The council with its translations, in one statement: every page names it."""
    query = select(Council).where(Council.slug == slug).options(joinedload(Council.translations))
    if statuses:
        query = query.where(Council.status.in_(statuses))
    return db.session.scalars(query).unique().first()


def active_countries() -> dict[str, int]:
    """Each country with active councils, and how many (one grouped query)."""
    return dict(db.session.execute(
        select(Council.country, func.count()).where(Council.status == CouncilStatus.ACTIVE)
        .group_by(Council.country)).all())


def directory(search: str, locale: str, country: str = "") -> list[tuple[Council, int]]:
    """Active councils whose names, cities or country match, in any language and script
    (and of one country, when given), each with its approved-member count (3 queries:
    councils, their texts in ``locale``, counts)."""
    query = select(Council).where(Council.status == CouncilStatus.ACTIVE)
    if country:
        query = query.where(Council.country == country)
    if search_key(search):
        query = query.where(matches(Council.search_key, search))
    texts = selectinload(Council.translations.and_(CouncilTranslation.locale == locale))
    councils = list(db.session.scalars(query.options(texts)))
    counts = approved_counts([c.id for c in councils])
    return [(c, counts.get(c.id, 0)) for c in councils]


def councils_page(number: int, *statuses: CouncilStatus) -> NumberedPage:
    """One page of councils (of these statuses, or all) by country and name, with their
    names in every language loaded at once."""
    query = select(Council).order_by(Council.country, Council.name, Council.id)
    if statuses:
        query = query.where(Council.status.in_(statuses))
    query = numbered_limits(query.options(selectinload(Council.translations)), number)
    return numbered_page(list(db.session.scalars(query)), number)


def approved_counts(council_ids: list[int]) -> dict[int, int]:
    if not council_ids:
        return {}
    rows = db.session.execute(
        select(Membership.council_id, func.count())
        .where(Membership.council_id.in_(council_ids),
               Membership.status == MembershipStatus.APPROVED)
        .group_by(Membership.council_id)
    )
    return dict(rows.all())


def leaders(council: Council) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.council_id == council.id, Membership.role == MembershipRole.LEADER,
               Membership.status == MembershipStatus.APPROVED)
        .order_by(User.display_name)
    ))


def membership_of(user: User, council: Council) -> Membership | None:
    if not user.is_authenticated:
        return None
    return db.session.scalar(select(Membership).where(
        Membership.user_id == user.id, Membership.council_id == council.id))


def _membership_for(user: User, council: Council) -> Membership:
    return membership_of(user, council) or _insert_membership(user, council)


def _insert_membership(user: User, council: Council) -> Membership:
    """A new membership row; when a twin request (a double-submitted form) inserts the same
    row at the same moment, the unique constraint refuses ours and the twin's is used."""
    try:
        with db.session.begin_nested():
            membership = Membership(user=user, council=council, member_name=user.display_name)
            db.session.add(membership)
    except IntegrityError:
        membership = membership_of(user, council)
    return membership


def request_to_join(user: User, council: Council) -> Membership:
    """Ask to join; a leader of the council or staff decides, and its leaders are told."""
    if not council.is_active:
        raise DomainError(_l("This council is not open to new members."))
    membership = membership_of(user, council)
    if membership and membership.status == MembershipStatus.PENDING:
        raise DomainError(_l("You have already asked to join this council."))
    if membership and membership.status == MembershipStatus.APPROVED:
        raise DomainError(_l("You are already a member of this council."))
    membership = membership or _insert_membership(user, council)
    membership.status, membership.role = MembershipStatus.PENDING, MembershipRole.MEMBER
    membership.requested_at, membership.reason = utcnow(), None
    membership.decided_at = membership.decided_by_id = membership.reason_code = None
    db.session.flush()
    tell_leaders(council)
    return membership


def tell_leaders(council: Council) -> None:
    """Mail each of the council's leaders, in their own language, that a request waits: at
    most once per LEADER_MAIL_INTERVAL, so that a busy day brings one mail, not one a request."""
    recipients = [leader for leader in leaders(council) if leader.is_active]
    if not recipients or not _claim_leader_mail(council):
        return
    url = link("councils.members", slug=council.slug)
    for leader in recipients:
        queue_mail(leader.email, leader.locale, "join_request_waiting", user=leader,
                   council=council, url=url)


def _claim_leader_mail(council: Council) -> bool:
    """Whether this request is the one that tells the leaders. One conditional UPDATE: of two
    requests at the same moment only one finds the last mail old enough (PostgreSQL makes the
    second wait for the first's row lock, then sees its new time; SQLite writes one at a time)."""
    now = utcnow()
    due = or_(Council.leaders_told_at.is_(None),
              Council.leaders_told_at <= now - LEADER_MAIL_INTERVAL)
    return db.session.scalar(
        update(Council).where(Council.id == council.id, due).values(leaders_told_at=now)
        .returning(Council.id)) is not None


def _approve(membership: Membership) -> None:
    membership.status = MembershipStatus.APPROVED
    membership.decided_at = utcnow()
    if not _has_home(membership.user):
        membership.is_home = True
    db.session.flush()


def decide_request(membership: Membership, approve: bool, note: str, decider: User | None,
                   reason_code: RejectionReason | str | None = None) -> None:
    """Approve or reject a pending request; the member is told by mail in their language.

    A rejection needs a reason from RejectionReason, stored as its code so that the member
    reads it in their own language; ``note`` (optional, either way) is the decider's own words.
    """
    if membership.status != MembershipStatus.PENDING:
        raise DomainError(_l("This request has already been decided."))
    code = None if approve or not reason_code else RejectionReason(reason_code)
    if not approve and code is None:
        raise DomainError(_l("Please choose a reason for the rejection."))
    if approve:
        _approve(membership)
    else:
        membership.status, membership.decided_at = MembershipStatus.REJECTED, utcnow()
    membership.decided_by, membership.reason = decider, note.strip() or None
    membership.reason_code = code
    audit.record("membership.approved" if approve else "membership.rejected", membership,
                 council=membership.council.slug, member_id=membership.user_id,
                 reason_code=code, reason=note)
    member = membership.user
    queue_mail(member.email, member.locale, "membership_decided", user=member,
               council=membership.council, approved=approve,
               reason=REJECTION_REASON[code] if code else None, note=membership.reason,
               url=link("members.councils"))


def current_membership(user: User, council: Council) -> Membership | None:
    """The user's membership of the council while it is one they can leave or withdraw."""
    membership = membership_of(user, council)
    if membership and membership.status in (MembershipStatus.APPROVED, MembershipStatus.PENDING):
        return membership
    return None


def is_last_leader(membership: Membership) -> bool:
    """Whether the council would have no leader once this member leaves: the ministry must
    then appoint one, so the member is warned before leaving."""
    return membership.is_leader and len(leaders(membership.council)) == 1


def leave(user: User, council: Council) -> None:
    """Leave a council, or withdraw a pending request. A leader who leaves is on the audit
    record, so that staff can see why a council lost its leader."""
    membership = current_membership(user, council)
    if membership is None:
        raise DomainError(_l("You are not a member of this council."))
    if membership.is_leader:
        audit.record("membership.leader_left", membership, council=council.slug,
                     member_id=user.id, last_leader=is_last_leader(membership))
    membership.status, membership.role, membership.is_home = (
        MembershipStatus.LEFT, MembershipRole.MEMBER, False)
    db.session.flush()
    _move_home(user)


def _has_home(user: User) -> bool:
    return db.session.scalar(select(Membership.id).where(
        Membership.user_id == user.id, Membership.is_home.is_(True))) is not None


def _move_home(user: User) -> None:
    """After leaving the home council, the oldest remaining council becomes home."""
    if _has_home(user):
        return
    remaining = db.session.scalar(
        select(Membership).where(Membership.user_id == user.id,
                                 Membership.status == MembershipStatus.APPROVED)
        .order_by(Membership.decided_at))
    if remaining:
        remaining.is_home = True


def set_home(user: User, council: Council) -> None:
    membership = membership_of(user, council)
    if membership is None or membership.status != MembershipStatus.APPROVED:
        raise DomainError(_l("You can only choose a council you belong to as your home."))
    for other in memberships_of(user):
        other.is_home = other.id == membership.id


def memberships_of(user: User) -> list[Membership]:
    return list(db.session.scalars(
        select(Membership).where(Membership.user_id == user.id)
        .options(selectinload(Membership.council)).order_by(Membership.requested_at)))


def set_leader(council: Council, user: User, leader: bool) -> Membership:
    """Staff appoint (or remove) a leader. An appointed leader is an approved member."""
    membership = _membership_for(user, council)
    if not leader and not (membership.id and membership.is_leader):
        raise DomainError(_l("This person is not a leader of this council."))
    if leader and membership.status != MembershipStatus.APPROVED:
        _approve(membership)
    membership.role = MembershipRole.LEADER if leader else MembershipRole.MEMBER
    audit.record("membership.leader_appointed" if leader else "membership.leader_removed",
                 membership, council=council.slug, member_id=user.id)
    return membership


def add_member(council: Council, user: User, leader: bool = False) -> Membership:
    """Operators add someone directly, without a request."""
    if leader:
        return set_leader(council, user, True)
    membership = _membership_for(user, council)
    if membership.status != MembershipStatus.APPROVED:
        _approve(membership)
    return membership


def is_leader_of(user: User, council: Council) -> bool:
    membership = membership_of(user, council)
    return membership is not None and membership.is_leader


REQUESTS_PER_PAGE = 10  # each request is a form with its reasons: 10 keep a phone's page light


def pending_requests(council: Council, cursor: str | None = None) -> KeyPage:
    """One page of the council's waiting requests, by name (see _members_with_status)."""
    return _members_with_status(council, MembershipStatus.PENDING, cursor,
                                per_page=REQUESTS_PER_PAGE)


def approved_members(council: Council, cursor: str | None = None, search: str = "") -> KeyPage:
    """One page of the council's members, by name; ``search`` keeps those whose name or
    email holds it, for a leader looking for one person among thousands."""
    return _members_with_status(council, MembershipStatus.APPROVED, cursor, search)


def _members_with_status(council: Council, status: MembershipStatus, cursor: str | None,
                         search: str = "", per_page: int = PER_PAGE) -> KeyPage:
    """Memberships by the member's name then id, paged by that key: one statement (memberships
    with their users and profiles) for page 1 and page 200."""
    query = (select(Membership).join(Membership.user).outerjoin(User.profile)
             .where(Membership.council_id == council.id, Membership.status == status)
             .options(contains_eager(Membership.user).contains_eager(User.profile),
                      lazyload(Membership.council)))  # the council is in the session already
    if search_key(search):
        query = query.where(matches(User.search_key, search))
    return key_page(query, (Membership.member_name, Membership.id),
                    lambda membership: (membership.member_name, membership.id),
                    cursor, f"councils.members.{status}", per_page)


def status_counts(council: Council) -> dict[MembershipStatus, int]:
    """How many of the council's memberships are in each status: one grouped count on the
    (council, status) index."""
    rows = db.session.execute(
        select(Membership.status, func.count()).where(Membership.council_id == council.id)
        .group_by(Membership.status))
    return dict(rows.all())


EXPORT_BATCH = 500


def approved_members_in_batches(council: Council) -> Iterator[Membership]:
    """Every approved member with their profile, read in batches keyed by id: an export of
    10,000 members holds one batch at a time."""
    last_id = 0
    while True:
        batch = list(db.session.scalars(
            select(Membership)
            .where(Membership.council_id == council.id,
                   Membership.status == MembershipStatus.APPROVED, Membership.id > last_id)
            .options(selectinload(Membership.user).selectinload(User.profile))
            .order_by(Membership.id).limit(EXPORT_BATCH)))
        yield from batch
        if len(batch) < EXPORT_BATCH:
            return
        last_id = batch[-1].id


def find_request(council: Council, membership_id: int) -> Membership | None:
    """A membership of this council only: another council's id is as good as unknown."""
    return db.session.scalar(select(Membership).where(
        Membership.id == membership_id, Membership.council_id == council.id))


def named_councils(text: str) -> list[Council]:
    """The councils named by their slugs, separated by spaces or commas; DomainError naming
    the first that does not exist."""
    slugs = list(dict.fromkeys(slug for slug in re.split(r"[\s,]+", text or "") if slug))
    found = {council.slug: council for council in db.session.scalars(
        select(Council).where(Council.slug.in_(slugs)))}
    missing = [slug for slug in slugs if slug not in found]
    if missing:
        raise DomainError(_l("There is no council “%(slug)s”.", slug=missing[0]))
    return [found[slug] for slug in slugs]

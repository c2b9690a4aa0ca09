"""Rounds: a survey published to councils for whole days, ending at midnight in Baghdad.

Which councils a round reaches is computed from its scope whenever it is asked (``reach``),
never copied into a list when it is published: a round for a country also reaches a council
created there while it is open. Staff may reopen a round for one council until a later day.
"""

from datetime import date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from portal import audit
from portal.auth.models import User
from portal.councils.models import (
    Council,
    CouncilStatus,
    Membership,
    MembershipRole,
    MembershipStatus,
)
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import country_choices
from portal.mail import link, queue_mail
from portal.needs.models import (
    NeedsReport,
    NeedsRound,
    ReportStatus,
    RoundCountry,
    RoundScope,
    Survey,
    round_councils,
)
from portal.needs.rules import survey_problems
from portal.pagination import NumberedPage, numbered_limits, numbered_page

BAGHDAD = ZoneInfo("Asia/Baghdad")
ROUND_DAYS = 30  # how long a round runs when no closing day is given
REMINDER_LEAD = timedelta(days=3)  # leaders who have not submitted hear this long before closing
LABEL_LENGTH = 40
# A suspended council's leaders still see its rounds (they cannot save); proposed or rejected
# councils are not councils yet.
REACHED_STATUSES = (CouncilStatus.ACTIVE, CouncilStatus.SUSPENDED)


def baghdad_today(now: datetime | None = None) -> date:
    return (now or utcnow()).astimezone(BAGHDAD).date()


def closes_at(needs_round: NeedsRound) -> datetime:
    """The moment the round closes: midnight in Baghdad at the end of its last day."""
    return datetime.combine(needs_round.closes_on + timedelta(days=1), time(), BAGHDAD)


def reach():
    """SQL: NeedsRound reaches Council (both in the query's FROM), by the round's scope."""
    in_country = exists().where(RoundCountry.round_id == NeedsRound.id,
                                RoundCountry.country == Council.country)
    chosen = exists().where(round_councils.c.round_id == NeedsRound.id,
                            round_councils.c.council_id == Council.id)
    return and_(Council.status.in_(REACHED_STATUSES),
                or_(NeedsRound.scope == RoundScope.ALL,
                    and_(NeedsRound.scope == RoundScope.COUNTRIES, in_country),
                    and_(NeedsRound.scope == RoundScope.COUNCILS, chosen)))


def open_on(day: date):
    """SQL: NeedsRound is open on ``day``, or reopened until then for the NeedsReport's council
    (NeedsReport outer-joined: None when the council has no report)."""
    return or_(and_(NeedsRound.opens_on <= day, NeedsRound.closes_on >= day),
               and_(NeedsRound.opens_on <= day, NeedsReport.reopened_until >= day))


def open_for(needs_round: NeedsRound, report: NeedsReport | None, today: date | None = None
             ) -> bool:
    """Whether answers are taken today from the council of ``report`` (None: it has none)."""
    today = today or baghdad_today()
    reopened = report.reopened_until if report is not None else None
    return needs_round.opens_on <= today <= max(needs_round.closes_on, reopened or date.min)


def find_report(needs_round: NeedsRound, council: Council) -> NeedsReport | None:
    return db.session.scalar(select(NeedsReport).where(NeedsReport.round_id == needs_round.id,
                                                       NeedsReport.council_id == council.id))


def create_report(needs_round: NeedsRound, council: Council, **fields) -> NeedsReport | None:
    """A new draft report of the council, or None when another request created one first."""
    report = NeedsReport(round=needs_round, council=council, **fields)
    try:
        with db.session.begin_nested():
            db.session.add(report)
    except IntegrityError:
        return None
    return report


def is_open(needs_round: NeedsRound, council: Council, today: date | None = None) -> bool:
    """Whether the round takes answers from the council today (Baghdad's date by default)."""
    return open_for(needs_round, find_report(needs_round, council), today)


def reaches(needs_round: NeedsRound, council: Council) -> bool:
    return db.session.scalar(
        select(NeedsRound.id).join(Council, Council.id == council.id)
        .where(NeedsRound.id == needs_round.id, reach())) is not None


def publish(survey: Survey, label: str, countries=(), councils=(), opens_on: date | None = None,
            closes_on: date | None = None, actor: User | None = None) -> NeedsRound:
    """Publish ``survey`` as a round to every council, to ``countries`` (ISO codes) or to
    ``councils``; from ``opens_on`` (today) to ``closes_on`` (ROUND_DAYS later), inclusive."""
    problems = survey_problems(survey)
    if problems:
        raise DomainError(_l("The survey cannot be published before this is fixed: %(problem)s",
                             problem=problems[0][1]))
    label = " ".join((label or "").split())
    countries = sorted({code.strip().upper() for code in countries})
    opens_on = opens_on or baghdad_today()
    closes_on = closes_on or opens_on + timedelta(days=ROUND_DAYS)
    _check_round(survey, label, countries, list(councils), opens_on, closes_on)
    scope = RoundScope.COUNCILS if councils else \
        RoundScope.COUNTRIES if countries else RoundScope.ALL
    needs_round = NeedsRound(survey=survey, label=label, scope=scope, opens_on=opens_on,
                             closes_on=closes_on, created_by_id=actor.id if actor else None,
                             country_rows=[RoundCountry(country=code) for code in countries],
                             councils=list(councils))
    db.session.add(needs_round)
    db.session.flush()
    audit.record("needs.round_published", needs_round, actor=actor, survey_id=survey.id,
                 label=label, scope=scope.value, countries=countries,
                 councils=[council.slug for council in councils],
                 opens_on=opens_on.isoformat(), closes_on=closes_on.isoformat())
    return needs_round


def _check_round(survey, label, countries, councils, opens_on, closes_on) -> None:
    if not label or len(label) > LABEL_LENGTH:
        raise DomainError(_l("Please give the round a label of at most 40 characters, such "
                             "as 2026-Q4."))
    if db.session.scalar(select(NeedsRound.id).where(NeedsRound.survey_id == survey.id,
                                                     NeedsRound.label == label)):
        raise DomainError(_l("This survey already has a round called “%(label)s”.",
                             label=label))
    if countries and councils:
        raise DomainError(_l("A round goes to countries or to chosen councils, not both."))
    unknown = sorted(set(countries) - dict(country_choices()).keys())
    if unknown:
        raise DomainError(_l("“%(code)s” is not a country code.", code=unknown[0]))
    if closes_on < opens_on:
        raise DomainError(_l("A round cannot close before it opens."))
    if closes_on < baghdad_today():
        raise DomainError(_l("The closing day has already passed."))


def reopen(needs_round: NeedsRound, council: Council, until: date,
           actor: User | None = None) -> NeedsReport:
    """Take answers from one council until ``until`` (inclusive), after the round closed or
    beyond its closing day; its report is created as a draft when it has none."""
    if not reaches(needs_round, council):
        raise DomainError(_l("This round does not reach this council."))
    if until < max(baghdad_today(), needs_round.opens_on):
        raise DomainError(_l("Please choose a day from today on."))
    report = find_report(needs_round, council) or create_report(needs_round, council) \
        or find_report(needs_round, council)
    report.reopened_until = until
    db.session.flush()
    audit.record("needs.round_reopened", report, actor=actor, round_id=needs_round.id,
                 council=council.slug, until=until.isoformat())
    return report


def reached_page(needs_round: NeedsRound, number: int) -> NumberedPage:
    """One page of (council, its report or None) for the councils the round reaches, by
    country and name; the councils' names in every language loaded at once."""
    query = (select(Council, NeedsReport).select_from(Council)
             .join(NeedsRound, NeedsRound.id == needs_round.id)
             .outerjoin(NeedsReport, and_(NeedsReport.round_id == needs_round.id,
                                          NeedsReport.council_id == Council.id))
             .where(reach()).options(selectinload(Council.translations))
             .order_by(Council.country, Council.name, Council.id))
    rows = db.session.execute(numbered_limits(query, number)).all()
    return numbered_page([tuple(row) for row in rows], number)


def status_counts(needs_round: NeedsRound) -> dict[ReportStatus | None, int]:
    """How many reached councils have a report in each state (None: no report yet)."""
    rows = db.session.execute(
        select(NeedsReport.status, func.count())
        .select_from(Council).join(NeedsRound, NeedsRound.id == needs_round.id)
        .outerjoin(NeedsReport, and_(NeedsReport.round_id == needs_round.id,
                                     NeedsReport.council_id == Council.id))
        .where(reach()).group_by(NeedsReport.status))
    return dict(rows.all())


def led_councils(user: User):
    """SQL: the ids of the councils ``user`` leads."""
    return select(Membership.council_id).where(
        Membership.user_id == user.id, Membership.role == MembershipRole.LEADER,
        Membership.status == MembershipStatus.APPROVED)


class OpenRound(NamedTuple):
    round: NeedsRound
    council: Council
    report: NeedsReport | None  # None: nothing saved yet


def open_rounds_for(user: User, today: date | None = None) -> list[OpenRound]:
    """The rounds open today for the councils ``user`` leads, each with the council's report,
    by closing day."""
    today = today or baghdad_today()
    rows = db.session.execute(
        select(NeedsRound, Council, NeedsReport).select_from(NeedsRound)
        .join(Council, Council.id.in_(led_councils(user)))
        .outerjoin(NeedsReport, and_(NeedsReport.round_id == NeedsRound.id,
                                     NeedsReport.council_id == Council.id))
        .where(reach(), open_on(today))
        .options(joinedload(NeedsRound.survey), selectinload(Council.translations))
        .order_by(NeedsRound.closes_on, NeedsRound.id, Council.name, Council.id)).all()
    return [OpenRound(*row) for row in rows]


def leader_round(user: User, round_id: int, slug: str) -> OpenRound | None:
    """The round, the council ``slug`` (which ``user`` leads, and the round reaches) and its
    report; None when any of that does not hold."""
    row = db.session.execute(
        select(NeedsRound, Council, NeedsReport).select_from(NeedsRound)
        .join(Council, and_(Council.slug == slug, Council.id.in_(led_councils(user))))
        .outerjoin(NeedsReport, and_(NeedsReport.round_id == NeedsRound.id,
                                     NeedsReport.council_id == Council.id))
        .where(NeedsRound.id == round_id, reach())
        .options(joinedload(NeedsRound.survey), selectinload(Council.translations))).first()
    return OpenRound(*row) if row else None


def leads_any(user: User) -> bool:
    return bool(db.session.scalar(select(exists(led_councils(user)))))


def send_reminders(now: datetime | None = None) -> int:
    """Mail the leaders of every council that has not submitted, REMINDER_LEAD before each
    round closes, once per round (run by each pass of ``flask outbox work``). Returns how many
    mails were queued; the caller commits."""
    now = now or utcnow()
    today = baghdad_today(now)
    # Three days before midnight at the end of closes_on is the start of closes_on - 2.
    last_day = today + REMINDER_LEAD - timedelta(days=1)
    due = db.session.scalars(select(NeedsRound).where(
        NeedsRound.reminded_at.is_(None), NeedsRound.opens_on <= today,
        NeedsRound.closes_on >= today, NeedsRound.closes_on <= last_day)).all()
    return sum(_remind(needs_round, now) for needs_round in due if _claim(needs_round, now))


def _claim(needs_round: NeedsRound, now: datetime) -> bool:
    """Whether this worker reminds the round: one conditional UPDATE, so that of two workers
    only one does (the other's waits for the first to commit, then matches nothing)."""
    claimed = db.session.execute(
        update(NeedsRound).where(NeedsRound.id == needs_round.id,
                                 NeedsRound.reminded_at.is_(None))
        .values(reminded_at=now).execution_options(synchronize_session=False))
    return claimed.rowcount == 1


def _remind(needs_round: NeedsRound, now: datetime) -> int:
    rows = db.session.execute(
        select(User, Council).select_from(User)
        .join(Membership, Membership.user_id == User.id)
        .join(Council, Council.id == Membership.council_id)
        .join(NeedsRound, NeedsRound.id == needs_round.id)
        .outerjoin(NeedsReport, and_(NeedsReport.round_id == needs_round.id,
                                     NeedsReport.council_id == Council.id))
        .where(reach(), Council.status == CouncilStatus.ACTIVE,
               Membership.role == MembershipRole.LEADER,
               Membership.status == MembershipStatus.APPROVED,
               User.deleted_at.is_(None), User.suspended_at.is_(None),
               or_(NeedsReport.id.is_(None), NeedsReport.status == ReportStatus.DRAFT))
        .options(selectinload(Council.translations))
        .order_by(User.id, Council.id)).all()
    for leader, council in rows:
        queue_mail(leader.email, leader.locale, "needs_round_closing", user=leader,
                   council=council, needs_round=needs_round,
                   url=link("needs.report_form", round_id=needs_round.id, slug=council.slug))
    return len(rows)

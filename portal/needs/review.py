"""The ministry's review of the councils' needs reports: the steps staff move a report along
(models.STAFF_TRANSITIONS), each one on the report's timeline, in the audit log and in a mail
to the council's leaders; and the list of reports staff work from. Callers commit.

Two staff deciding on one report at the same moment: a decision is one conditional UPDATE of
the report's status and revision, so the second finds neither as it read them, changes nothing
and is told. No step is lost or taken twice (PostgreSQL makes the second UPDATE wait for the
first's row lock, then sees its new revision; SQLite writes one at a time).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, or_, select, update
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal import audit
from portal.auth.models import User
from portal.councils.models import Council
from portal.councils.services import leaders
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.mail import link, queue_mail
from portal.needs.labels import REPORT_STATUS
from portal.needs.models import (
    STAFF_TRANSITIONS,
    Answer,
    NeedsReport,
    NeedsRound,
    Question,
    ReportStatus,
    ReviewEvent,
    Sector,
    Survey,
)
from portal.pagination import KeyPage, key_page

# The ministry has not decided on a report while it is in these states; NEEDS_REVIEW_DAYS after
# it was submitted it is overdue.
AWAITING_DECISION = (ReportStatus.SUBMITTED, ReportStatus.UNDER_REVIEW)

# What a council has sent (models.SENT_STATUSES), written so that the unfiltered list walks
# the reports in the order of their ids: a list of statuses would read every report through
# the status index and sort them all for each page.
SENT = NeedsReport.status != ReportStatus.DRAFT

CHANGED_MEANWHILE = _l("Someone else changed this report while you were reading it. It is "
                       "shown below as it is now: please decide again.")


def next_statuses(report: NeedsReport) -> tuple[ReportStatus, ...]:
    """Where staff may move the report from where it stands (none for a draft, a returned
    report, which is the council's to resubmit, or a resolved one)."""
    return STAFF_TRANSITIONS.get(report.status, ())


def move_report(report: NeedsReport, status: ReportStatus, actor: User, comment: str,
                revision: int) -> ReviewEvent:
    """Move the report, as ``actor`` decided on it at ``revision``, to ``status``: a step on
    its timeline, an audit event and a mail to each of its council's leaders.

    Returning a report needs a comment: it is all the leaders have to know what to change."""
    comment = comment.strip()
    if revision != report.revision:
        raise DomainError(CHANGED_MEANWHILE)
    if status not in next_statuses(report):
        raise DomainError(_l("A report that is “%(now)s” cannot become “%(next)s”.",
                             now=REPORT_STATUS[report.status], next=REPORT_STATUS[status]))
    if status == ReportStatus.RETURNED and not comment:
        raise DomainError(_l("Please write in the comment what the council should change."))
    previous = report.status
    moved = db.session.execute(
        update(NeedsReport)
        .where(NeedsReport.id == report.id, NeedsReport.status == previous,
               NeedsReport.revision == revision)
        .values(status=status, revision=revision + 1)
        .execution_options(synchronize_session=False))
    if moved.rowcount != 1:
        raise DomainError(CHANGED_MEANWHILE)
    db.session.refresh(report, ["status", "revision", "updated_at"])
    event = ReviewEvent(report=report, from_status=previous, to_status=status, actor=actor,
                        comment=comment)
    db.session.add(event)
    audit.record(f"needs_report.{status.value}", report, actor=actor,
                 from_status=previous.value, comment=comment)
    _tell_leaders(report, event)
    db.session.flush()
    return event


def _tell_leaders(report: NeedsReport, event: ReviewEvent) -> None:
    """Each leader of the report's council, in their own language: the new state and the
    ministry's comment, with a link to the report."""
    url = link("needs.report", report_id=report.id)
    for leader in leaders(report.council):
        if leader.is_active:
            queue_mail(leader.email, leader.locale, "needs_report_moved", user=leader,
                       report=report, event=event, status=REPORT_STATUS[event.to_status],
                       url=url)


def overdue_cutoff(now: datetime | None = None) -> datetime:
    """Reports awaiting a decision that were submitted before this are overdue."""
    return (now or utcnow()) - timedelta(days=current_app.config["NEEDS_REVIEW_DAYS"])


def is_overdue(report: NeedsReport, cutoff: datetime) -> bool:
    return (report.status in AWAITING_DECISION and report.submitted_at is not None
            and report.submitted_at <= cutoff)


@dataclass(frozen=True)
class ReviewFilters:
    """What the staff list of reports is narrowed to; None or "" leaves a filter out."""

    round_id: int | None = None
    country: str = ""
    council_id: int | None = None
    sector: Sector | None = None
    objective: int | None = None
    status: ReportStatus | None = None
    overdue: bool = False


def _answered(condition) -> exists:
    """The report has an answer to a question meeting ``condition``."""
    return exists().where(Answer.report_id == NeedsReport.id,
                          Answer.question_id == Question.id, condition)


def _review_query(filters: ReviewFilters, cutoff: datetime) -> Select:
    query = (select(NeedsReport).join(NeedsReport.council).join(NeedsReport.round)
             .where(SENT)
             .options(contains_eager(NeedsReport.council).selectinload(Council.translations),
                      contains_eager(NeedsReport.round)))
    if filters.round_id is not None:
        query = query.where(NeedsReport.round_id == filters.round_id)
    if filters.country:
        query = query.where(Council.country == filters.country)
    if filters.council_id is not None:
        query = query.where(NeedsReport.council_id == filters.council_id)
    if filters.status is not None:
        query = query.where(NeedsReport.status == filters.status)
    if filters.overdue:
        query = query.where(NeedsReport.status.in_(AWAITING_DECISION),
                            NeedsReport.submitted_at <= cutoff)
    if filters.sector is not None:
        query = query.where(_answered(_in_sector(filters.sector)))
    if filters.objective is not None:
        query = query.where(_answered(Question.gcm_objective == filters.objective))
    return query


def _in_sector(sector: Sector):
    """A question without a sector counts as OTHER."""
    if sector == Sector.OTHER:
        return or_(Question.sector == Sector.OTHER, Question.sector.is_(None))
    return Question.sector == sector


# The list's order, and the key its pages are taken by.
KEY = (NeedsReport.id,)


def review_page(filters: ReviewFilters, cursor: str | None, cutoff: datetime) -> KeyPage:
    """A page of the reports councils have sent (never a draft) that match ``filters``, in
    the order the councils began them, with their council (and its names in every language)
    and round: two statements whatever the page."""
    return key_page(_review_query(filters, cutoff), KEY, lambda report: (report.id,), cursor,
                    "needs_review.reports")


def find_sent_report(report_id: int) -> NeedsReport | None:
    """A report the council has sent, with what its staff page shows (its council and the
    council's names, its round and survey in one statement; its timeline in another); None
    for a draft."""
    return db.session.execute(
        select(NeedsReport)
        .where(NeedsReport.id == report_id, SENT)
        .options(joinedload(NeedsReport.council).joinedload(Council.translations),
                 joinedload(NeedsReport.round).joinedload(NeedsRound.survey),
                 selectinload(NeedsReport.events).joinedload(ReviewEvent.actor))
    ).unique().scalar_one_or_none()


def round_choices() -> list[tuple[NeedsRound, Survey]]:
    """Every round with its survey, newest first: the choices of the round filter."""
    return list(db.session.execute(
        select(NeedsRound, Survey).join(NeedsRound.survey)
        .order_by(NeedsRound.opens_on.desc(), NeedsRound.id.desc())).all())


def reporting_councils() -> list[tuple[int, str, str]]:
    """(id, name, country) of each council that has sent a report, by name: the choices of
    the council and country filters, in one statement."""
    sent = exists().where(NeedsReport.council_id == Council.id, SENT)
    return list(db.session.execute(
        select(Council.id, Council.name, Council.country).where(sent)
        .order_by(Council.name, Council.id)).all())

"""Needs surveys, the rounds they are published in, and the councils' reports.

A survey is read and written whole (builder, XLSForm, a leader's form), so each text that has a
version per language — a title, a label, a hint — is one JSON object ``{locale: text}`` on its
row rather than a table of its own: nothing ever queries a label by language, and a new version
of a survey copies its rows as they are.
"""

import enum
import secrets
from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, ForeignKey, Index, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.councils.models import Council
from portal.database import TimestampMixin, UTCDateTime, string_enum, utcnow
from portal.extensions import db


class Sector(enum.StrEnum):
    """The needs sectors a question (or a choice) belongs to; a question without one is OTHER."""

    DOCUMENTATION = "documentation"
    RETURN = "return"
    EDUCATION = "education"
    HEALTH = "health"
    LIVELIHOODS = "livelihoods"
    PSYCHOSOCIAL = "psychosocial"
    HOUSING = "housing"
    LEGAL = "legal"
    INFORMATION = "information"
    OTHER = "other"


class QuestionKind(enum.StrEnum):
    INTEGER = "integer"
    DECIMAL = "decimal"
    YES_NO = "yes_no"
    SINGLE = "single"
    MULTIPLE = "multiple"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    DATE = "date"


class RoundScope(enum.StrEnum):
    ALL = "all"
    COUNTRIES = "countries"
    COUNCILS = "councils"


class ReportStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    ACKNOWLEDGED = "acknowledged"
    RETURNED = "returned"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"


# The review workflow, exactly: staff move a report along these edges; a leader submits a draft
# and resubmits a returned report.
STAFF_TRANSITIONS: dict[ReportStatus, tuple[ReportStatus, ...]] = {
    ReportStatus.SUBMITTED: (ReportStatus.UNDER_REVIEW,),
    ReportStatus.UNDER_REVIEW: (ReportStatus.ACKNOWLEDGED, ReportStatus.RETURNED,
                                ReportStatus.IN_PROGRESS),
    ReportStatus.ACKNOWLEDGED: (ReportStatus.IN_PROGRESS,),
    ReportStatus.IN_PROGRESS: (ReportStatus.RESOLVED,),
}
LEADER_TRANSITIONS: dict[ReportStatus, tuple[ReportStatus, ...]] = {
    ReportStatus.DRAFT: (ReportStatus.SUBMITTED,),
    ReportStatus.RETURNED: (ReportStatus.SUBMITTED,),
}
# What the dashboard and the exports count: everything a council has sent, never a draft.
SENT_STATUSES = tuple(status for status in ReportStatus if status != ReportStatus.DRAFT)


class Survey(TimestampMixin, db.Model):
    """One version of a survey. Once a round of it has answers its questions are frozen, and
    editing makes a new version: a row with the same ``lineage_id`` and the next ``version``."""

    __tablename__ = "surveys"
    __table_args__ = (UniqueConstraint("lineage_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # The first version's id (its own, for the first version): versions of one survey.
    lineage_id: Mapped[int | None] = mapped_column(ForeignKey("surveys.id"))
    version: Mapped[int] = mapped_column(default=1)
    default_locale: Mapped[str] = mapped_column(String(8))
    title: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    description: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    questions: Mapped[list["Question"]] = relationship(
        back_populates="survey", cascade="all, delete-orphan", order_by="Question.position")
    created_by: Mapped[User | None] = relationship()


class Question(db.Model):
    __tablename__ = "survey_questions"
    __table_args__ = (UniqueConstraint("survey_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id", ondelete="CASCADE"))
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(64))  # stable: answers and exports key on it
    kind: Mapped[QuestionKind] = mapped_column(string_enum(QuestionKind))
    required: Mapped[bool] = mapped_column(default=False)
    min_value: Mapped[float | None]
    max_value: Mapped[float | None]
    max_length: Mapped[int | None]
    # Shown only when this holds: the XLSForm `relevant` subset (portal.needs.expressions).
    relevant: Mapped[str | None] = mapped_column(Text)
    sector: Mapped[Sector | None] = mapped_column(string_enum(Sector))
    gcm_objective: Mapped[int | None]
    hxl: Mapped[str | None] = mapped_column(String(120))
    label: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    hint: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    constraint_message: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)

    survey: Mapped[Survey] = relationship(back_populates="questions")
    choices: Mapped[list["Choice"]] = relationship(
        back_populates="question", cascade="all, delete-orphan", order_by="Choice.position")

    @property
    def counted_sector(self) -> Sector:
        return self.sector or Sector.OTHER


class Choice(db.Model):
    __tablename__ = "survey_choices"
    __table_args__ = (UniqueConstraint("question_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"))
    position: Mapped[int]
    code: Mapped[str] = mapped_column(String(64))
    label: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    # A choice may name a sector of its own ("the most urgent need: documents").
    sector: Mapped[Sector | None] = mapped_column(string_enum(Sector))

    question: Mapped[Question] = relationship(back_populates="choices")


round_councils = Table(
    "needs_round_councils", db.metadata,
    Column("round_id", ForeignKey("needs_rounds.id", ondelete="CASCADE"), primary_key=True),
    Column("council_id", ForeignKey("councils.id", ondelete="CASCADE"), primary_key=True),
)


def new_stamp() -> str:
    return secrets.token_hex(8)


class NeedsRound(db.Model):
    """A survey published to councils for a period: whole days, ending at midnight in Baghdad."""

    __tablename__ = "needs_rounds"
    __table_args__ = (UniqueConstraint("survey_id", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("surveys.id"))
    label: Mapped[str] = mapped_column(String(40))  # "2026-Q4"
    scope: Mapped[RoundScope] = mapped_column(string_enum(RoundScope))
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)  # the last day answers are taken
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # A new random value whenever what the round's dashboard shows changes (its tallies, its
    # survey's texts): the key of the dashboard's kept pages (portal.needs.tallies.restamp).
    figures_stamp: Mapped[str] = mapped_column(String(16), default=new_stamp,
                                               server_default="")

    survey: Mapped[Survey] = relationship()
    country_rows: Mapped[list["RoundCountry"]] = relationship(cascade="all, delete-orphan")
    councils: Mapped[list[Council]] = relationship(secondary=round_councils)

    @property
    def countries(self) -> list[str]:
        """The round's countries (scope COUNTRIES): it also reaches councils created there
        while it is open."""
        return sorted(row.country for row in self.country_rows)


class RoundCountry(db.Model):
    __tablename__ = "needs_round_countries"

    round_id: Mapped[int] = mapped_column(ForeignKey("needs_rounds.id", ondelete="CASCADE"),
                                          primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)


class NeedsReport(TimestampMixin, db.Model):
    """One council's answers to one round, and where the ministry's review of them stands."""

    __tablename__ = "needs_reports"
    __table_args__ = (UniqueConstraint("round_id", "council_id"),
                      Index("ix_needs_reports_status_submitted", "status", "submitted_at"),
                      # The staff's list, filtered by status or round, a page at a time by id.
                      Index("ix_needs_reports_status_id", "status", "id"),
                      Index("ix_needs_reports_round_id_id", "round_id", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("needs_rounds.id", ondelete="CASCADE"))
    council_id: Mapped[int] = mapped_column(ForeignKey("councils.id", ondelete="CASCADE"),
                                            index=True)
    status: Mapped[ReportStatus] = mapped_column(string_enum(ReportStatus),
                                                 default=ReportStatus.DRAFT)
    # Bumped by every save and transition: a writer holding an older one is refused.
    revision: Mapped[int] = mapped_column(default=1)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Staff reopened the round for this council until this day (inclusive).
    reopened_until: Mapped[date | None] = mapped_column(Date)

    round: Mapped[NeedsRound] = relationship()
    council: Mapped[Council] = relationship()
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="report", cascade="all, delete-orphan")
    events: Mapped[list["ReviewEvent"]] = relationship(
        back_populates="report", cascade="all, delete-orphan", order_by="ReviewEvent.id")


class Answer(db.Model):
    """One answer, or one chosen choice of a multiple-choice question (a row per choice), so
    that the dashboard counts choices and sums numbers in grouped SQL."""

    __tablename__ = "needs_answers"
    __table_args__ = (UniqueConstraint("report_id", "question_id", "choice"),
                      Index("ix_needs_answers_question_choice", "question_id", "choice"))

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("needs_reports.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"))
    choice: Mapped[str] = mapped_column(String(64), default="")  # a code; yes/no: "yes", "no"
    number: Mapped[float | None]
    text: Mapped[str | None] = mapped_column(Text)
    day: Mapped[date | None] = mapped_column(Date)

    report: Mapped[NeedsReport] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()


class ReviewEvent(db.Model):
    """A step of a report's timeline: who moved it from where to where, when, and why."""

    __tablename__ = "needs_review_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("needs_reports.id", ondelete="CASCADE"),
                                           index=True)
    from_status: Mapped[ReportStatus | None] = mapped_column(string_enum(ReportStatus))
    to_status: Mapped[ReportStatus] = mapped_column(string_enum(ReportStatus))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    report: Mapped[NeedsReport] = relationship(back_populates="events")
    actor: Mapped[User | None] = relationship()


def localized(texts: dict[str, str], locale: str, default_locale: str) -> tuple[str, str]:
    """The text for a reader of ``locale`` and the language it is in: their own, else the
    survey's default language (the page marks the fallback with ``lang``)."""
    if texts.get(locale):
        return texts[locale], locale
    return texts.get(default_locale, ""), default_locale


class Tally(db.Model):
    """The sent answers of one round in one country, counted per question and choice (with
    the sum and bounds of numbers): the dashboard reads these few rows instead of grouping
    every answer of every round. Rebuilt for a round and country whenever a report of it is
    sent (portal.needs.tallies); a report counts in the country its council had then."""

    __tablename__ = "needs_tallies"

    round_id: Mapped[int] = mapped_column(ForeignKey("needs_rounds.id", ondelete="CASCADE"),
                                          primary_key=True)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("survey_questions.id", ondelete="CASCADE"), primary_key=True)
    choice: Mapped[str] = mapped_column(String(64), primary_key=True)  # "": not a choice
    answers: Mapped[int]
    total: Mapped[float | None]
    low: Mapped[float | None]
    high: Mapped[float | None]

"""A council's report: its answers kept as a draft, submitted, and resubmitted when the ministry
returns it for changes.

Every save carries the ``revision`` the leader's form was loaded with, and bumps it in one
conditional UPDATE: when two leaders of a council edit the same draft, the second save finds
a newer revision and is refused (StaleReport), so that nobody's answers are silently replaced.
"""

from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal import audit
from portal.auth.models import User
from portal.councils.models import Council
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.needs.models import (
    Answer,
    NeedsReport,
    NeedsRound,
    Question,
    QuestionKind,
    ReportStatus,
    ReviewEvent,
    Survey,
    localized,
)
from portal.needs.reading import (
    NUMBER_KINDS,
    Reading,
    Value,
    condition_value,
    is_shown,
    read_answers,
)
from portal.needs.rounds import create_report, led_councils, open_for
from portal.needs.tallies import retally
from portal.pagination import NumberedPage, numbered_limits, numbered_page

# What a leader may still change: a draft, and a report the ministry returned for changes.
EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
REPORTS_PER_PAGE = 20


class StaleReport(DomainError):
    """Another leader saved or submitted the report after this form was loaded."""

    def __init__(self):
        super().__init__(_l("Another leader of the council saved this report while you were "
                            "editing it. Their answers are shown below; yours are still in the "
                            "form. Save again to keep yours."))


class InvalidAnswers(DomainError):
    """Some answers were refused; ``reading`` has a message for each, and what was typed."""

    def __init__(self, reading: Reading):
        super().__init__(_l("Some answers need correcting: see the messages beside them."))
        self.reading = reading


def questions_of(survey: Survey) -> list[Question]:
    """The survey's questions in order, each with its choices (two statements, then kept on
    the survey for the rest of the request)."""
    if "questions" not in db.inspect(survey).unloaded:
        return survey.questions
    questions = list(db.session.scalars(
        select(Question).where(Question.survey_id == survey.id).order_by(Question.position)
        .options(selectinload(Question.choices))))
    set_committed_value(survey, "questions", questions)
    return questions


def can_edit(report: NeedsReport | None, needs_round: NeedsRound) -> bool:
    """A returned report may be changed at any time (the ministry asked for it); a draft while
    the round is open for its council."""
    status = report.status if report else ReportStatus.DRAFT
    return status == ReportStatus.RETURNED or (
        status == ReportStatus.DRAFT and open_for(needs_round, report))


def check_may_edit(needs_round: NeedsRound, council: Council, report: NeedsReport | None):
    if not council.is_active:
        raise DomainError(_l("This council is suspended: its leaders can see its reports, but "
                             "cannot change them until the ministry reactivates it."))
    if report is not None and report.status not in EDITABLE:
        raise DomainError(_l("This report has been sent; it can no longer be changed."))
    if not can_edit(report, needs_round):
        raise DomainError(_l("This round is closed: it no longer takes answers."))


def save_answers(needs_round: NeedsRound, council: Council, report: NeedsReport | None,
                 sent: dict[str, list[str]], locale: str, revision: int, user: User,
                 submit: bool) -> NeedsReport:
    """Keep the answers ``sent`` (each input's values by name, read in ``locale``) as the
    council's draft, and submit them when ``submit``. ``revision`` is the one the form was
    loaded with (0: no report yet). Raises InvalidAnswers, StaleReport or DomainError."""
    check_may_edit(needs_round, council, report)
    questions = questions_of(needs_round.survey)
    reading = read_answers(questions, sent, locale, complete=submit)
    if reading.errors:
        raise InvalidAnswers(reading)
    report = _claim(needs_round, council, report, revision, user)
    _store(report, questions, reading.values)
    if submit:
        _submit(report, council, user)
    db.session.flush()
    return report


def _claim(needs_round, council, report, revision: int, user: User) -> NeedsReport:
    if report is None:
        report = create_report(needs_round, council, updated_by_id=user.id) \
            if revision == 0 else None
        if report is None:
            raise StaleReport()
        return report
    claimed = db.session.execute(
        update(NeedsReport)
        .where(NeedsReport.id == report.id, NeedsReport.revision == revision,
               NeedsReport.status.in_(EDITABLE))
        .values(revision=NeedsReport.revision + 1, updated_by_id=user.id, updated_at=utcnow()))
    if claimed.rowcount != 1:
        raise StaleReport()
    return report


def _store(report: NeedsReport, questions: list[Question], values: dict[str, Value]) -> None:
    """The answers replace the report's earlier ones: an answer to a question that is now
    hidden, or now empty, is gone."""
    db.session.execute(delete(Answer).where(Answer.report_id == report.id))
    db.session.add_all(Answer(report_id=report.id, question_id=question.id, **fields)
                       for question in questions if question.name in values
                       for fields in _columns(question, values[question.name]))
    db.session.expire(report, ["answers"])


def _columns(question: Question, value: Value) -> list[dict]:
    """The Answer rows of one answer: one per chosen choice of a multiple-choice question."""
    if question.kind == QuestionKind.MULTIPLE:
        return [{"choice": code} for code in value]
    if question.kind in (QuestionKind.YES_NO, QuestionKind.SINGLE):
        return [{"choice": value}]
    if question.kind in NUMBER_KINDS:
        return [{"number": float(value)}]
    if question.kind == QuestionKind.DATE:
        return [{"day": value}]
    return [{"text": value}]


def _submit(report: NeedsReport, council: Council, user: User) -> None:
    was = report.status
    report.status, report.submitted_at = ReportStatus.SUBMITTED, utcnow()
    db.session.add(ReviewEvent(report_id=report.id, from_status=was,
                               to_status=ReportStatus.SUBMITTED, actor_id=user.id))
    db.session.flush()
    retally(report.round_id, council.country)
    action = "resubmitted" if was == ReportStatus.RETURNED else "submitted"
    audit.record(f"needs.report_{action}", report, actor=user, round_id=report.round_id,
                 council=council.slug)


def answers_of(report: NeedsReport) -> dict[str, Value]:
    """The report's answers by question name: numbers (int for whole-number questions),
    choice codes (a list for multiple choice), texts and dates. One statement."""
    rows = db.session.execute(
        select(Question.name, Question.kind, Answer.choice, Answer.number, Answer.text,
               Answer.day)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.report_id == report.id).order_by(Question.position, Answer.id))
    answers: dict[str, Value] = {}
    for name, kind, choice, number, text, day in rows:
        if kind == QuestionKind.MULTIPLE:
            answers.setdefault(name, []).append(choice)
        elif kind in (QuestionKind.YES_NO, QuestionKind.SINGLE):
            answers[name] = choice
        elif kind in NUMBER_KINDS:
            answers[name] = int(number) if kind == QuestionKind.INTEGER else number
        else:
            answers[name] = day if kind == QuestionKind.DATE else text
    return answers


class AnswerRow(NamedTuple):
    """One question of a report as a reader sees it: its label in their language (or the
    survey's default, ``lang`` says which), and the answer (None: not answered); ``chosen``
    the labels of the chosen choices, each with its language."""

    question: Question
    label: str
    lang: str
    value: Value | None
    chosen: list[tuple[str, str]]


def answer_rows(report: NeedsReport, locale: str) -> list[AnswerRow]:
    """The questions shown for the report's answers (those whose condition holds), in order."""
    survey = report.round.survey
    answers, earlier, rows = answers_of(report), {}, []
    for question in questions_of(survey):
        earlier[question.name] = None
        if not is_shown(question, earlier):
            continue
        value = answers.get(question.name)
        earlier[question.name] = condition_value(value)
        codes = value if isinstance(value, list) else [value]
        chosen = [localized(choice.label, locale, survey.default_locale)
                  for choice in question.choices if choice.code in codes]
        rows.append(AnswerRow(question, *localized(question.label, locale, survey.default_locale),
                              value, chosen))
    return rows


def leader_report(user: User, report_id: int) -> NeedsReport | None:
    """A report of a council ``user`` leads, with its round, survey, council and timeline."""
    return db.session.scalar(
        select(NeedsReport)
        .where(NeedsReport.id == report_id, NeedsReport.council_id.in_(led_councils(user)))
        .options(joinedload(NeedsReport.round).joinedload(NeedsRound.survey),
                 joinedload(NeedsReport.council).selectinload(Council.translations),
                 selectinload(NeedsReport.events).joinedload(ReviewEvent.actor)))


def reports_page(user: User, number: int) -> NumberedPage:
    """The reports of the councils ``user`` leads, latest round first."""
    query = (select(NeedsReport).join(NeedsReport.round)
             .where(NeedsReport.council_id.in_(led_councils(user)))
             .options(joinedload(NeedsReport.round).joinedload(NeedsRound.survey),
                      joinedload(NeedsReport.council).selectinload(Council.translations))
             .order_by(NeedsRound.closes_on.desc(), NeedsReport.id.desc()))
    rows = db.session.scalars(numbered_limits(query, number, REPORTS_PER_PAGE)).unique().all()
    return numbered_page(rows, number, REPORTS_PER_PAGE)

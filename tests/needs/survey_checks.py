"""Checks that stored reports obey their survey and the review workflow, for the demo and the
benchmark data (rows written directly, not through the services)."""

from collections import defaultdict

from sqlalchemy import select

from portal.extensions import db
from portal.needs.expressions import parse_relevant
from portal.needs.models import (
    LEADER_TRANSITIONS,
    SENT_STATUSES,
    STAFF_TRANSITIONS,
    Answer,
    NeedsReport,
    Question,
    QuestionKind,
    ReportStatus,
    ReviewEvent,
)
from portal.needs.rules import CHOICE_KINDS

NUMBERS = (QuestionKind.INTEGER, QuestionKind.DECIMAL)


def answers_obey_the_survey(survey_id: int) -> int:
    """Assert every report of the survey's rounds answers only what it shows, within bounds,
    with its choices' codes, and (once sent) every required shown question; return how many
    reports were checked."""
    questions = list(db.session.scalars(select(Question).where(Question.survey_id == survey_id)
                                        .order_by(Question.position)))
    by_report = defaultdict(lambda: defaultdict(list))
    rows = db.session.execute(select(Answer, NeedsReport.status).join(NeedsReport).join(
        Question).where(Question.survey_id == survey_id)).all()
    statuses = {}
    for answer, status in rows:
        by_report[answer.report_id][answer.question_id].append(answer)
        statuses[answer.report_id] = status
    for report_id, answers in by_report.items():
        _obeys(questions, answers, statuses[report_id] in SENT_STATUSES)
    return len(by_report)


def _obeys(questions, answers, sent: bool) -> None:
    shown = {}
    for question in questions:
        rows = answers.get(question.id, [])
        if question.relevant and not parse_relevant(question.relevant).holds(shown):
            assert not rows, f"{question.name} is hidden but answered"
            continue
        assert rows or not (sent and question.required), f"{question.name} is required"
        for row in rows:
            _value_obeys(question, row)
        if question.kind in (QuestionKind.SINGLE, QuestionKind.YES_NO, *NUMBERS):
            assert len(rows) <= 1, question.name
        if rows and question.kind in CHOICE_KINDS:  # what conditions compare
            codes = [row.choice for row in rows]
            shown[question.name] = codes if question.kind == QuestionKind.MULTIPLE else codes[0]


def _value_obeys(question, row) -> None:
    if question.kind in CHOICE_KINDS:
        assert row.choice in {c.code for c in question.choices}, (question.name, row.choice)
        return
    assert row.choice == "", question.name
    if question.kind in NUMBERS:
        assert row.number is not None and (question.min_value is None
                                           or row.number >= question.min_value), question.name
        assert question.max_value is None or row.number <= question.max_value, question.name
        if question.kind == QuestionKind.INTEGER:
            assert row.number == int(row.number), question.name
    else:
        assert row.text, question.name
        assert question.max_length is None or len(row.text) <= question.max_length


def timeline_follows_the_workflow(report: NeedsReport, leader_ids: set[int],
                                  staff_ids: set[int], now) -> None:
    """Each event takes one allowed edge from where the last one left the report, leaders
    submitting and staff reviewing, in time order and before ``now``; the report ends where its
    timeline does, and was submitted when its last submission says."""
    status, at = ReportStatus.DRAFT, report.created_at
    events: list[ReviewEvent] = report.events
    for event in events:
        assert event.from_status == status, (report.id, event.from_status, status)
        if event.to_status in LEADER_TRANSITIONS.get(status, ()):
            assert event.actor_id in leader_ids, report.id
        else:
            assert event.to_status in STAFF_TRANSITIONS.get(status, ()), (status, event.to_status)
            assert event.actor_id in staff_ids, report.id
        assert at <= event.created_at <= now
        status, at = event.to_status, event.created_at
    assert report.status == status
    submissions = [e.created_at for e in events if e.to_status == ReportStatus.SUBMITTED]
    assert report.submitted_at == (submissions[-1] if submissions else None)
    if status == ReportStatus.RETURNED:
        assert events[-1].comment

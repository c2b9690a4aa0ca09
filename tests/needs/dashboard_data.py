"""A known set of reports for the dashboard and export tests, written as model rows.

Round 2026-Q4 of the small survey (needs_world):
  Istanbul (TR) submitted, Ankara (TR) under review, Berlin (DE) resolved, Stockholm (SE) a draft.
"""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from portal.councils.models import Council, CouncilStatus
from portal.extensions import db
from portal.needs.models import (
    Answer,
    NeedsReport,
    NeedsRound,
    Question,
    QuestionKind,
    ReportStatus,
    RoundScope,
    Survey,
)
from portal.needs.tallies import retally
from tests.conftest import log_in
from tests.needs.conftest import build_small_survey

SUBMITTED_AT = datetime(2026, 10, 20, 22, 30, tzinfo=UTC)  # the 21st in Baghdad

ISTANBUL = {"households": 10, "docs_problem": "yes", "docs_kinds": ["passport", "national_card"],
            "docs_people": 4, "return_intent": "few", "share_abroad": 12.5,
            "meeting_day": date(2026, 10, 1), "notes": "=1+2 and a formula"}
ANKARA = {"households": 20, "docs_problem": "yes", "docs_kinds": ["passport"], "docs_people": 6,
          "return_intent": "half"}
BERLIN = {"households": 5, "docs_problem": "no", "return_intent": "none", "share_abroad": 2.5}
STOCKHOLM = {"households": 1000, "docs_problem": "yes", "docs_kinds": ["civil_records"]}


def council(name: str, country: str, slug: str) -> Council:
    found = Council(name=name, country=country, slug=slug, status=CouncilStatus.ACTIVE)
    db.session.add(found)
    db.session.flush()
    return found


def answer_rows(survey: Survey, answers: dict) -> list[Answer]:
    """Answer rows as the reports service stores them: a row per chosen choice."""
    questions = {q.name: q for q in survey.questions}
    rows = []
    for name, value in answers.items():
        question = questions[name]
        if question.kind == QuestionKind.MULTIPLE:
            rows += [Answer(question_id=question.id, choice=code) for code in value]
        elif question.kind in (QuestionKind.INTEGER, QuestionKind.DECIMAL):
            rows.append(Answer(question_id=question.id, number=value))
        elif question.kind == QuestionKind.DATE:
            rows.append(Answer(question_id=question.id, day=value))
        elif question.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
            rows.append(Answer(question_id=question.id, text=value))
        else:
            rows.append(Answer(question_id=question.id, choice=value))
    return rows


def report(needs_round: NeedsRound, council_id: int, status: ReportStatus,
           answers: dict) -> NeedsReport:
    sent = status != ReportStatus.DRAFT
    found = NeedsReport(round_id=needs_round.id, council_id=council_id, status=status,
                        submitted_at=SUBMITTED_AT if sent else None,
                        answers=answer_rows(needs_round.survey, answers))
    db.session.add(found)
    db.session.flush()
    retally(needs_round.id, db.session.get(Council, council_id).country)  # as sending does
    return found


def known_reports(world: dict) -> dict:
    """The four reports of round 2026-Q4; returns ids by city."""
    needs_round = db.session.get(NeedsRound, world["round_id"])
    ankara = council("Iraqi Council of Ankara", "TR", "tr-ankara")
    stockholm = council("Iraqi Council of Stockholm", "SE", "se-stockholm")
    report(needs_round, world["council_id"], ReportStatus.SUBMITTED, ISTANBUL)
    report(needs_round, ankara.id, ReportStatus.UNDER_REVIEW, ANKARA)
    report(needs_round, world["other_council_id"], ReportStatus.RESOLVED, BERLIN)
    report(needs_round, stockholm.id, ReportStatus.DRAFT, STOCKHOLM)
    db.session.commit()
    return {"istanbul": world["council_id"], "ankara": ankara.id,
            "berlin": world["other_council_id"], "stockholm": stockholm.id}


def add_round(survey: Survey, label: str, opens_on: date) -> NeedsRound:
    needs_round = NeedsRound(survey=survey, label=label, scope=RoundScope.ALL, opens_on=opens_on,
                             closes_on=opens_on + timedelta(days=30))
    db.session.add(needs_round)
    db.session.flush()
    return needs_round


def new_version(survey: Survey) -> Survey:
    """The small survey again, as version 2 of ``survey``'s lineage."""
    second = build_small_survey()
    second.lineage_id, second.version = survey.id, 2
    db.session.flush()
    return second


def households(survey_id: int) -> Question:
    return db.session.scalar(select(Question).where(Question.survey_id == survey_id,
                                                    Question.name == "households"))


def staff_with_known_reports(app, world: dict):
    """A staff member's client, the four known reports of round 2026-Q4 in place."""
    with app.test_request_context():
        known_reports(world)
    client = app.test_client()
    log_in(client, world["staff"])
    return client

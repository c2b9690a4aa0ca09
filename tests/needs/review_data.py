"""Reports for the review tests, written as model rows (the leaders' services are not needed to
have a report in any state)."""

from datetime import datetime, timedelta

from sqlalchemy import select

from portal.auth.models import Role
from portal.auth.services import create_verified_user
from portal.councils.models import Council
from portal.councils.services import add_member, create_council
from portal.database import utcnow
from portal.extensions import db
from portal.needs.models import (
    Answer,
    NeedsReport,
    NeedsRound,
    Question,
    ReportStatus,
    RoundScope,
)
from tests.conftest import PASSWORD


def add_report(round_id: int, council_id: int, status=ReportStatus.SUBMITTED,
               submitted_at: datetime | None = None, answers: dict | None = None) -> NeedsReport:
    """A report in ``status``, submitted ``submitted_at`` (now, unless a draft), with
    ``answers`` {question name: choice code, number or text}. Flushed, not committed."""
    if submitted_at is None and status != ReportStatus.DRAFT:
        submitted_at = utcnow()
    report = NeedsReport(round_id=round_id, council_id=council_id, status=status,
                         submitted_at=submitted_at)
    needs_round = db.session.get(NeedsRound, round_id)
    questions = {q.name: q for q in db.session.scalars(
        select(Question).where(Question.survey_id == needs_round.survey_id))}
    for name, value in (answers or {}).items():
        report.answers.append(_answer(questions[name], value))
    db.session.add(report)
    db.session.flush()
    return report


def _answer(question: Question, value) -> Answer:
    if isinstance(value, int | float):
        return Answer(question=question, number=value)
    if question.choices:
        return Answer(question=question, choice=value)
    return Answer(question=question, text=value)


def add_round(survey_id: int, label: str) -> NeedsRound:
    today = utcnow().date()
    needs_round = NeedsRound(survey_id=survey_id, label=label, scope=RoundScope.ALL,
                             opens_on=today - timedelta(days=30), closes_on=today)
    db.session.add(needs_round)
    db.session.flush()
    return needs_round


def add_councils(count: int, start: int = 0) -> list[int]:
    """``count`` more councils, in Germany; their ids."""
    councils = [create_council(f"Council {n}", "DE", f"Town {n}")
                for n in range(start, start + count)]
    db.session.flush()
    return [council.id for council in councils]


def add_leader(council_id: int, email: str, locale: str) -> int:
    """Another leader of the council, who reads the portal in ``locale``."""
    user = create_verified_user(email, email.split("@")[0].title(), PASSWORD, Role.MEMBER,
                                locale)
    add_member(db.session.get(Council, council_id), user, leader=True)
    db.session.flush()
    return user.id

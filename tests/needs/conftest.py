"""A small survey with a question of every kind, and an open round of it for every council."""

from datetime import timedelta

import pytest

from portal.database import utcnow
from portal.extensions import db
from portal.needs.models import (
    Choice,
    NeedsRound,
    Question,
    QuestionKind,
    RoundScope,
    Sector,
    Survey,
)


def _question(position, name, kind, **fields) -> Question:
    choices = fields.pop("choices", ())
    question = Question(position=position, name=name, kind=kind,
                        label={"en": name.replace("_", " ").capitalize() + "?",
                               "ar": f"سؤال {name}"}, **fields)
    question.choices = [Choice(position=i, code=code, label={"en": code.title()})
                        for i, code in enumerate(choices)]
    return question


def build_small_survey(created_by_id=None) -> Survey:
    """Eight questions, one of each kind; `docs_kinds` and `docs_people` shown only when
    `docs_problem` is yes."""
    survey = Survey(default_locale="en", title={"en": "Quarterly needs", "ar": "الاحتياجات"},
                    description={"en": "What your community needs."},
                    created_by_id=created_by_id)
    survey.questions = [
        _question(0, "households", QuestionKind.INTEGER, required=True, min_value=0,
                  sector=Sector.OTHER, gcm_objective=1, hxl="#affected+hh"),
        _question(1, "docs_problem", QuestionKind.YES_NO, required=True,
                  sector=Sector.DOCUMENTATION, gcm_objective=4, choices=("yes", "no")),
        _question(2, "docs_kinds", QuestionKind.MULTIPLE, relevant="${docs_problem} = 'yes'",
                  sector=Sector.DOCUMENTATION, gcm_objective=4, hxl="#indicator+docs",
                  choices=("passport", "national_card", "civil_records")),
        _question(3, "docs_people", QuestionKind.INTEGER, min_value=1,
                  relevant="${docs_problem} = 'yes'", sector=Sector.DOCUMENTATION),
        _question(4, "return_intent", QuestionKind.SINGLE, sector=Sector.RETURN,
                  gcm_objective=21, choices=("none", "few", "half", "most")),
        _question(5, "share_abroad", QuestionKind.DECIMAL, min_value=0, max_value=100),
        _question(6, "meeting_day", QuestionKind.DATE),
        _question(7, "notes", QuestionKind.LONG_TEXT, max_length=2000,
                  sector=Sector.INFORMATION, hxl="#description"),
    ]
    db.session.add(survey)
    db.session.flush()
    survey.lineage_id = survey.id
    return survey


@pytest.fixture
def needs_world(app, world):
    """`world`, plus the small survey and a round of it open to all councils until next week."""
    with app.test_request_context():
        survey = build_small_survey(world["ids"]["staff"])
        today = utcnow().date()
        needs_round = NeedsRound(survey=survey, label="2026-Q4", scope=RoundScope.ALL,
                                 opens_on=today - timedelta(days=7),
                                 closes_on=today + timedelta(days=7),
                                 created_by_id=world["ids"]["staff"])
        db.session.add(needs_round)
        db.session.commit()
        return world | {"survey_id": survey.id, "round_id": needs_round.id}

"""A survey is well formed by the same rules in the builder and on import."""

import pytest
from flask_babel import force_locale

from portal.errors import DomainError
from portal.extensions import db
from portal.needs.models import Choice, Question, QuestionKind, Survey
from portal.needs.rules import (
    check_gcm,
    check_hxl,
    check_name,
    field_problems,
    survey_problems,
)
from tests.needs.conftest import build_small_survey


@pytest.mark.parametrize("name", ["", "1st", "Households", "docs-kinds", "csrf_token", "action",
                                  "a" * 65, "ك"])
def test_names_that_cannot_be_a_question(name):
    with pytest.raises(DomainError):
        check_name(name)


@pytest.mark.parametrize(("tag", "normal"), [("#affected+ind", "#affected+ind"),
                                             (" #Affected +HH ", "#affected+hh"), ("", None)])
def test_hxl_hashtags_are_normalised(tag, normal):
    assert check_hxl(tag) == normal


@pytest.mark.parametrize("tag", ["affected", "#", "#1x", "#a+", "#a++b", "#a b+c!"])
def test_broken_hxl_hashtags_are_refused(tag):
    with pytest.raises(DomainError):
        check_hxl(tag)


@pytest.mark.parametrize("number", [0, 24, -1])
def test_objectives_are_one_to_twenty_three(number):
    with pytest.raises(DomainError):
        check_gcm(number)


def test_the_small_survey_is_well_formed(ctx):
    assert survey_problems(build_small_survey()) == []


def test_every_problem_is_named_with_its_question(ctx):
    survey = build_small_survey()
    households, docs_problem, docs_kinds = survey.questions[:3]
    households.min_value, households.max_value = 10, 1
    docs_problem.choices = [Choice(position=0, code="yes", label={"en": "Yes"})]
    docs_kinds.relevant = "${docs_problem} = 'maybe' or ${later} = 'x'"
    survey.questions.append(Question(position=9, name="households", kind=QuestionKind.DATE,
                                     label={}))
    survey.title = {"ar": "بلا عنوان إنجليزي"}
    with force_locale("en"):
        problems = survey_problems(survey)
    named = [name for name, _ in problems]
    assert named == [None, "households", "docs_problem", "docs_kinds", "households",
                     "households"]
    assert "not an earlier question" in problems[3][1]
    parts = [(name, part) for name, part, _ in field_problems(survey)]
    assert parts == [(None, "title"), ("households", "max_value"), ("docs_problem", "choices"),
                     ("docs_kinds", "condition"), ("households", "name"),
                     ("households", "label")]
    db.session.rollback()


def test_a_condition_on_an_unknown_choice_is_a_problem(ctx):
    survey = Survey(default_locale="en", title={"en": "T"})
    survey.questions = [
        Question(position=0, name="a", kind=QuestionKind.SINGLE, label={"en": "A"},
                 choices=[Choice(position=0, code="x", label={"en": "X"}),
                          Choice(position=1, code="y", label={"en": "Y"})]),
        Question(position=1, name="b", kind=QuestionKind.SHORT_TEXT, label={"en": "B"},
                 relevant="selected(${a}, 'z')"),
    ]
    assert [name for name, _ in survey_problems(survey)] == ["b"]

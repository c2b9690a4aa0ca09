"""The survey builder's services: surveys and their questions created, edited, reordered and
deleted by staff, a frozen survey copied to a new version, an XLSForm workbook imported.

Every change is checked against the whole survey by portal.needs.rules *before* anything is
written (a draft stands in for the question being saved), so a refused change leaves the
session as it was, and a change to one question cannot break another's condition.
"""

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import BinaryIO

from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from portal import audit
from portal.auth.models import User
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import LOCALES
from portal.needs.models import (
    Answer,
    Choice,
    NeedsRound,
    Question,
    QuestionKind,
    Sector,
    Survey,
)
from portal.needs.rules import YES_NO_CODES, field_problems
from portal.needs.tallies import restamp
from portal.needs.xlsform import read_survey
from portal.pagination import NumberedPage, numbered_limits, numbered_page

PER_PAGE = 30


class SurveyProblems(DomainError):
    """A change the rules refuse. ``parts`` maps each part of the survey or question being
    saved ("title", "name", "label", "choices", …) to its messages; ``elsewhere`` lists what
    the change would break in other questions, each message naming its question."""

    def __init__(self, problems: list[tuple[str | None, str, str]], own_name: str | None):
        self.parts: dict[str, list[str]] = {}
        self.elsewhere: list[str] = []
        for name, part, message in problems:
            if name == own_name:
                self.parts.setdefault(part, []).append(message)
            else:
                self.elsewhere.append(message if name is None else gettext(
                    "Question “%(name)s”: %(problem)s", name=name, problem=message))
        everything = [m for messages in self.parts.values() for m in messages] + self.elsewhere
        super().__init__(" ".join(everything))


@dataclass
class ChoiceDraft:
    code: str
    label: dict[str, str]
    sector: Sector | None = None


@dataclass
class QuestionDraft:
    """A question as typed into the builder, with a Question's attribute names so that the
    rules read it as they read a saved one."""

    name: str
    kind: QuestionKind
    required: bool = False
    min_value: float | None = None
    max_value: float | None = None
    max_length: int | None = None
    relevant: str | None = None
    sector: Sector | None = None
    gcm_objective: int | None = None
    hxl: str | None = None
    label: dict[str, str] = field(default_factory=dict)
    hint: dict[str, str] = field(default_factory=dict)
    constraint_message: dict[str, str] = field(default_factory=dict)
    choices: list[ChoiceDraft] = field(default_factory=list)

    @staticmethod
    def of(question: Question) -> "QuestionDraft":
        return QuestionDraft(
            question.name, question.kind, question.required, question.min_value,
            question.max_value, question.max_length, question.relevant, question.sector,
            question.gcm_objective, question.hxl, dict(question.label), dict(question.hint),
            dict(question.constraint_message),
            [ChoiceDraft(c.code, dict(c.label), c.sector) for c in question.choices])


YES_NO_LABELS = {"yes": _l("Yes"), "no": _l("No")}


def yes_no_choices(kept: list[ChoiceDraft] = ()) -> list[ChoiceDraft]:
    """The choices of a yes/no question: yes and no, labelled in every language, keeping any
    label the question already had (an imported form's own wording)."""
    own = {choice.code: choice.label for choice in kept}
    choices = []
    for code in YES_NO_CODES:
        labels = {}
        for locale in LOCALES:
            with force_locale(locale):
                labels[locale] = str(YES_NO_LABELS[code])
        choices.append(ChoiceDraft(code, labels | own.get(code, {})))
    return choices


def surveys_page(number: int) -> NumberedPage:
    """Surveys, each version after the next, with their numbers of questions and rounds: one
    statement whatever the page."""
    questions = (select(func.count(Question.id)).where(Question.survey_id == Survey.id)
                 .correlate(Survey).scalar_subquery())
    rounds = (select(func.count(NeedsRound.id)).where(NeedsRound.survey_id == Survey.id)
              .correlate(Survey).scalar_subquery())
    query = select(Survey, questions, rounds).order_by(
        Survey.lineage_id.desc(), Survey.version.desc(), Survey.id.desc())
    rows = db.session.execute(numbered_limits(query, number, PER_PAGE)).all()
    return numbered_page(rows, number, PER_PAGE)


def find_survey(survey_id: int) -> Survey | None:
    """The survey with its questions and their choices (three statements)."""
    return db.session.scalar(
        select(Survey).where(Survey.id == survey_id)
        .options(selectinload(Survey.questions).selectinload(Question.choices)))


def is_frozen(survey: Survey) -> bool:
    """Whether a round of the survey has answers (a leader's draft counts): its questions are
    what those answers mean, so editing makes a new version instead."""
    return bool(db.session.scalar(select(exists().where(
        Answer.question_id == Question.id, Question.survey_id == survey.id))))


def _open_for_edit(survey: Survey) -> None:
    """Refuse to change a frozen survey; any other change shows on its rounds' dashboards (a
    refusal rolls the new stamp back with the rest)."""
    if is_frozen(survey):
        raise DomainError(_l("Councils have answered this survey, so it cannot change any "
                             "more. Make a new version to edit it."))
    restamp(NeedsRound.survey_id == survey.id)


def _check(title: dict, default_locale: str, questions: list, own_name: str | None) -> None:
    """Refuse with every problem the rules find in the survey as it would be."""
    problems = field_problems(SimpleNamespace(title=title, default_locale=default_locale,
                                              questions=questions))
    if problems:
        raise SurveyProblems(problems, own_name)


def create_survey(default_locale: str, title: dict[str, str], description: dict[str, str],
                  created_by: User | None) -> Survey:
    """A new, empty survey: the first version of its own lineage."""
    _check(title, default_locale, [], None)
    survey = Survey(default_locale=default_locale, title=title, description=description,
                    created_by=created_by)
    db.session.add(survey)
    db.session.flush()
    survey.lineage_id = survey.id
    audit.record("survey.created", survey)
    return survey


def update_texts(survey: Survey, default_locale: str, title: dict[str, str],
                 description: dict[str, str]) -> None:
    """New title, description and default language (every label must then exist in it)."""
    _open_for_edit(survey)
    _check(title, default_locale, survey.questions, None)
    survey.default_locale, survey.title, survey.description = default_locale, title, description
    db.session.flush()
    audit.record("survey.updated", survey)


def save_question(survey: Survey, draft: QuestionDraft,
                  question: Question | None = None) -> Question:
    """Add ``draft`` as the survey's last question, or write it over ``question``."""
    _open_for_edit(survey)
    if draft.kind == QuestionKind.YES_NO:
        was_yes_no = question is not None and question.kind == QuestionKind.YES_NO
        draft.choices = yes_no_choices(QuestionDraft.of(question).choices if was_yes_no else [])
    order = [draft if q is question else q for q in survey.questions]
    _check(survey.title, survey.default_locale, order + ([] if question else [draft]), draft.name)
    action = "survey.question_changed"
    if question is None:
        action, question = "survey.question_added", Question(position=len(survey.questions))
        survey.questions.append(question)
    _apply(question, draft)
    db.session.flush()
    audit.record(action, survey, question=question.name)
    return question


def _apply(question: Question, draft: QuestionDraft) -> None:
    for name in ("name", "kind", "required", "min_value", "max_value", "max_length", "relevant",
                 "sector", "gcm_objective", "hxl", "label", "hint", "constraint_message"):
        setattr(question, name, getattr(draft, name))
    # Choices are matched by code, so that a kept choice keeps its row (codes are unique).
    rows = {choice.code: choice for choice in question.choices}
    question.choices = [rows.get(c.code) or Choice(code=c.code) for c in draft.choices]
    for position, (choice, typed) in enumerate(zip(question.choices, draft.choices, strict=True)):
        choice.position, choice.label, choice.sector = position, typed.label, typed.sector


def move_question(survey: Survey, question: Question, offset: int) -> None:
    """One place up (-1) or down (+1); a condition must still read only earlier questions."""
    _open_for_edit(survey)
    order = list(survey.questions)
    index = order.index(question)
    target = index + offset
    if not 0 <= target < len(order):
        return
    order[index], order[target] = order[target], order[index]
    _check(survey.title, survey.default_locale, order, None)
    _renumber(order)
    audit.record("survey.question_moved", survey, question=question.name, offset=offset)


def delete_question(survey: Survey, question: Question) -> None:
    """Remove a question no other question's condition reads."""
    _open_for_edit(survey)
    order = [q for q in survey.questions if q is not question]
    _check(survey.title, survey.default_locale, order, None)
    survey.questions.remove(question)
    _renumber(order)
    audit.record("survey.question_deleted", survey, question=question.name)


def _renumber(order: list[Question]) -> None:
    for position, question in enumerate(order):
        question.position = position
    db.session.flush()


def new_version(survey: Survey, created_by: User | None) -> Survey:
    """A copy of every text, question and choice with the lineage's next version number, to
    edit while the answered version stays as its answers were given."""
    lineage = survey.lineage_id or survey.id
    latest = db.session.scalar(select(func.max(Survey.version))
                               .where(Survey.lineage_id == lineage))
    copy = Survey(lineage_id=lineage, version=max(latest or 0, survey.version) + 1,
                  default_locale=survey.default_locale, title=dict(survey.title),
                  description=dict(survey.description), created_by=created_by)
    for question in survey.questions:
        added = Question(position=question.position)
        _apply(added, QuestionDraft.of(question))
        copy.questions.append(added)
    try:
        with db.session.begin_nested():
            db.session.add(copy)
    except IntegrityError:  # someone made the same version a moment ago
        raise DomainError(_l("Another version was made at the same moment. Please try "
                             "again.")) from None
    audit.record("survey.version_created", copy, source=survey.id, version=copy.version)
    return copy


def import_survey(stream: BinaryIO, created_by: User | None) -> tuple[Survey, list[str]]:
    """A new survey from an XLSForm workbook (portal.needs.xlsform), and the warnings about
    what it ignored; XLSFormError lists every reason it cannot be imported."""
    survey, warnings = read_survey(stream, created_by=created_by)
    audit.record("survey.imported", survey, questions=len(survey.questions),
                 warnings=len(warnings))
    return survey, warnings

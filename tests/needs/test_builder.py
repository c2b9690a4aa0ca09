"""The survey builder's services: every change checked against the whole survey before it is
written, frozen surveys refused, new versions copied whole."""

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.councils.models import Council
from portal.errors import DomainError
from portal.extensions import db
from portal.needs import builder
from portal.needs.builder import ChoiceDraft, QuestionDraft, SurveyProblems
from portal.needs.models import Answer, NeedsReport, NeedsRound, QuestionKind, Sector, Survey
from tests.needs.conftest import build_small_survey


@pytest.fixture
def survey(ctx):
    return build_small_survey()


def _draft(name="visits", kind=QuestionKind.INTEGER, **fields) -> QuestionDraft:
    return QuestionDraft(name=name, kind=kind, **({"label": {"en": "How many?"}} | fields))


def _names(survey: Survey) -> list[str]:
    return [q.name for q in sorted(survey.questions, key=lambda q: q.position)]


def _answer(survey: Survey) -> None:
    """A leader's draft answer to a round of ``survey``: that freezes it."""
    council = db.session.scalar(select(Council).limit(1))
    needs_round = db.session.scalar(select(NeedsRound).where(NeedsRound.survey_id == survey.id))
    report = NeedsReport(round=needs_round, council=council)
    report.answers = [Answer(question=survey.questions[0], number=12)]
    db.session.add(report)
    db.session.flush()


def _actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_a_new_survey_is_the_first_version_of_its_own_lineage(ctx):
    survey = builder.create_survey("ar", {"ar": "الاحتياجات"}, {}, None)
    assert (survey.lineage_id, survey.version) == (survey.id, 1)
    assert _actions() == ["survey.created"]


def test_a_survey_needs_a_title_in_its_default_language(ctx):
    with pytest.raises(SurveyProblems) as refused:
        builder.create_survey("ar", {"en": "Needs"}, {}, None)
    assert list(refused.value.parts) == ["title"]
    assert db.session.scalar(select(Survey.id)) is None


def test_a_new_default_language_must_have_every_label(survey):
    with pytest.raises(SurveyProblems) as refused:
        builder.update_texts(survey, "tr", {"tr": "İhtiyaçlar"}, {})
    for question in survey.questions:  # none has a Turkish label
        assert any(question.name in message for message in refused.value.elsewhere)
    assert survey.default_locale == "en"
    builder.update_texts(survey, "en", {"en": "Needs", "ar": "الاحتياجات"}, {"ar": "وصف"})
    assert (survey.title, survey.description) == ({"en": "Needs", "ar": "الاحتياجات"},
                                                  {"ar": "وصف"})
    assert _actions() == ["survey.updated"]


def test_a_question_is_added_last(survey):
    question = builder.save_question(survey, _draft(min_value=0, sector=Sector.HEALTH))
    assert question.position == 8 and _names(survey)[-1] == "visits"
    assert question.sector == Sector.HEALTH and question.min_value == 0
    assert _actions()[-1] == "survey.question_added"


def test_yes_no_questions_get_yes_and_no_in_every_language(survey):
    question = builder.save_question(survey, _draft("ill", QuestionKind.YES_NO))
    assert [c.code for c in question.choices] == ["yes", "no"]
    yes = question.choices[0].label
    with force_locale("ar"):
        assert yes["en"] == "Yes" and yes["ar"] not in ("", "Yes") and len(yes) == 8


def test_a_yes_no_question_keeps_its_own_wording(survey):
    docs_problem = survey.questions[1]
    docs_problem.choices[0].label = {"en": "Yes, some do"}
    builder.save_question(survey, builder.QuestionDraft.of(docs_problem), docs_problem)
    assert docs_problem.choices[0].label["en"] == "Yes, some do"
    assert docs_problem.choices[1].label["en"] == "No"


@pytest.mark.parametrize(("fields", "part"), [
    ({"name": "households"}, "name"),
    ({"name": "csrf_token"}, "name"),
    ({"hxl": "affected"}, "hxl"),
    ({"label": {"ar": "كم؟"}}, "label"),
    ({"min_value": 5, "max_value": 1}, "max_value"),
    ({"kind": QuestionKind.SINGLE, "choices": [ChoiceDraft("a", {"en": "A"})]}, "choices"),
    ({"relevant": "${docs_problem} = 'maybe'"}, "condition"),
    ({"relevant": "${notes} = 'x' and"}, "condition"),
])
def test_each_problem_is_reported_on_its_part(survey, fields, part):
    with pytest.raises(SurveyProblems) as refused:
        builder.save_question(survey, _draft(**fields))
    assert list(refused.value.parts) == [part] and not refused.value.elsewhere
    assert len(survey.questions) == 8


def test_a_change_that_breaks_a_later_condition_is_refused(survey):
    docs_problem = survey.questions[1]
    draft = QuestionDraft.of(docs_problem)
    draft.name = "documents"
    with pytest.raises(SurveyProblems) as refused:
        builder.save_question(survey, draft, docs_problem)
    assert not refused.value.parts and len(refused.value.elsewhere) == 2  # docs_kinds, docs_people
    assert "docs_kinds" in refused.value.elsewhere[0]
    assert docs_problem.name == "docs_problem"


def test_choices_are_matched_by_code_and_keep_their_rows(survey):
    return_intent = survey.questions[4]
    ids = {c.code: c.id for c in return_intent.choices}
    draft = QuestionDraft.of(return_intent)
    draft.choices = [ChoiceDraft("most", {"en": "Most", "ar": "معظمهم"}, Sector.RETURN),
                     ChoiceDraft("none", {"en": "None"}), ChoiceDraft("all", {"en": "All"})]
    builder.save_question(survey, draft, return_intent)
    assert [c.code for c in return_intent.choices] == ["most", "none", "all"]
    assert [c.position for c in return_intent.choices] == [0, 1, 2]
    assert return_intent.choices[0].id == ids["most"] and return_intent.choices[1].id == ids["none"]
    assert return_intent.choices[0].sector == Sector.RETURN


def test_moving_keeps_conditions_on_earlier_questions(survey):
    docs_problem, docs_kinds = survey.questions[1], survey.questions[2]
    with pytest.raises(SurveyProblems):
        builder.move_question(survey, docs_problem, 1)  # below a question it decides
    with pytest.raises(SurveyProblems):
        builder.move_question(survey, docs_kinds, -1)
    builder.move_question(survey, survey.questions[0], 1)
    assert _names(survey)[:2] == ["docs_problem", "households"]
    builder.move_question(survey, survey.questions[7], 1)  # the last: stays last
    assert _names(survey)[-1] == "notes"


def test_a_question_another_one_reads_cannot_be_deleted(survey):
    with pytest.raises(SurveyProblems):
        builder.delete_question(survey, survey.questions[1])
    builder.delete_question(survey, survey.questions[0])
    assert _names(survey)[0] == "docs_problem"
    assert sorted(q.position for q in survey.questions) == list(range(7))
    assert _actions()[-1] == "survey.question_deleted"


def test_answers_freeze_a_survey(app, needs_world):
    with app.test_request_context():
        survey = builder.find_survey(needs_world["survey_id"])
        assert not builder.is_frozen(survey)
        _answer(survey)
        assert builder.is_frozen(survey)
        for change in (lambda: builder.update_texts(survey, "en", {"en": "T"}, {}),
                       lambda: builder.save_question(survey, _draft()),
                       lambda: builder.move_question(survey, survey.questions[0], 1),
                       lambda: builder.delete_question(survey, survey.questions[7])):
            with pytest.raises(DomainError):
                change()
        assert len(survey.questions) == 8


def test_a_new_version_copies_everything(app, needs_world):
    with app.test_request_context():
        survey = builder.find_survey(needs_world["survey_id"])
        _answer(survey)
        copy = builder.new_version(survey, None)
        assert (copy.lineage_id, copy.version) == (survey.id, 2) and copy.id != survey.id
        assert not builder.is_frozen(copy)
        assert (copy.title, copy.description) == (survey.title, survey.description)
        for old, new in zip(survey.questions, copy.questions, strict=True):
            assert new.id != old.id
            assert QuestionDraft.of(new) == QuestionDraft.of(old)
        assert builder.new_version(survey, None).version == 3  # the lineage's next
        assert _actions()[-2:] == ["survey.version_created"] * 2


def test_the_list_counts_questions_and_rounds(app, needs_world):
    with app.test_request_context():
        builder.create_survey("en", {"en": "Empty"}, {}, None)
        rows = builder.surveys_page(1).items
        assert [(s.title["en"], questions, rounds) for s, questions, rounds in rows] == [
            ("Empty", 0, 0), ("Quarterly needs", 8, 1)]

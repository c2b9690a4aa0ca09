"""The survey builder's pages: lists, a survey's questions with their missing translations, the
forms with the rules' messages on their fields (in every language, nothing typed lost), frozen
surveys and new versions, XLSForm upload and download."""

import re
from io import BytesIO

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.extensions import db
from portal.i18n import LOCALES
from portal.needs import builder
from portal.needs.builder import ChoiceDraft, QuestionDraft
from portal.needs.models import Answer, NeedsReport, Question, QuestionKind, Survey
from portal.needs.xlsform import write_survey
from tests.conftest import log_in
from tests.main.test_translated_pages import english_sentences
from tests.needs.conftest import build_small_survey
from tests.test_page_costs import statements


@pytest.fixture
def staff(app, needs_world):
    client = app.test_client()
    log_in(client, needs_world["staff"])
    return client


def _survey(app, survey_id) -> Survey:
    """The survey as the requests left it, with its questions and choices loaded."""
    with app.app_context():
        return builder.find_survey(survey_id)


def _question(app, survey_id, name) -> Question:
    return next(q for q in _survey(app, survey_id).questions if q.name == name)


def _page(response) -> str:
    return response.get_data(as_text=True)


def _question_form(**fields) -> dict:
    """A valid new question, with ``fields`` changed."""
    return {"name": "visits", "kind": "single", "label_en": "How often do you meet?",
            "label_ar": "كم مرة تجتمعون؟", "choice_code_0": "weekly",
            "choice_label_0_en": "Weekly", "choice_code_1": "monthly",
            "choice_label_1_en": "Monthly", "choice_sector_1": "information",
            "choice_code_2": "", "sector": "", "gcm_objective": "", **fields}


def test_the_list_shows_each_survey_in_the_readers_language(app, staff, needs_world):
    page = _page(staff.get("/staff/surveys/?lang=ar"))
    assert "<bdi>الاحتياجات</bdi>" in page
    page = _page(staff.get("/staff/surveys/?lang=de"))  # no German title: the default's, marked
    assert '<bdi lang="en" dir="ltr">Quarterly needs</bdi>' in page
    with app.test_request_context(), force_locale("de"):
        assert gettext("not translated yet") in page
    assert f'href="/staff/surveys/{needs_world["survey_id"]}"' in page


def test_a_new_survey_is_created_from_its_texts(app, staff):
    response = staff.post("/staff/surveys/new?lang=en", data={
        "default_locale": "ar", "title_ar": "استبيان", "description_en": "About needs"})
    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.default_locale == "ar"))
        assert response.headers["Location"].endswith(f"/staff/surveys/{survey.id}")
        assert (survey.title, survey.description) == ({"ar": "استبيان"}, {"en": "About needs"})


def test_a_title_missing_in_the_default_language_is_shown_on_its_field(app, staff):
    response = staff.post("/staff/surveys/new?lang=en", data={
        "default_locale": "ckb", "title_en": "Needs", "description_ckb": "پێداویستییەکان"})
    page = _page(response)
    assert response.status_code == 200
    assert re.search(r'id="title_ckb"[^>]*aria-invalid|aria-invalid="true"[^>]*id="title_ckb"',
                     page) or 'href="#title_ckb"' in page
    assert "The survey needs a title in its default language." in page
    assert "پێداویستییەکان" in page and 'value="Needs"' in page  # nothing typed is lost
    with app.app_context():
        assert db.session.scalar(select(func.count(Survey.id))) == 1


def test_the_survey_page_lists_questions_in_order_with_missing_translations(staff,
                                                                             needs_world):
    page = _page(staff.get(f"/staff/surveys/{needs_world['survey_id']}?lang=tr"))
    names = re.findall(r'<code dir="ltr">([a-z_]+)</code></dd>', page)
    assert names == ["households", "docs_problem", "docs_kinds", "docs_people", "return_intent",
                     "share_abroad", "meeting_day", "notes"]
    assert '<bdi lang="en" dir="ltr">Households?</bdi>' in page  # the label's fallback
    assert "<code dir=\"ltr\">${docs_problem} = &#39;yes&#39;</code>" in page
    assert "<code dir=\"ltr\">#affected+hh</code>" in page
    assert '<span lang="ckb">کوردی (سۆرانی)</span>' in page  # a language lacking a label
    assert "/move" in page and "/delete" in page and "Make a new version" not in page
    assert f'href="/staff/surveys/{needs_world["survey_id"]}/rounds/new"' in page


def test_a_question_with_choices_is_added(app, staff, needs_world):
    survey_id = needs_world["survey_id"]
    response = staff.post(f"/staff/surveys/{survey_id}/questions/new?lang=en",
                          data=_question_form(gcm_objective="16", hxl="#meeting+freq"))
    question = _question(app, survey_id, "visits")
    assert response.headers["Location"].endswith(f"/staff/surveys/{survey_id}#question-"
                                                 f"{question.id}")
    assert question.position == 8 and question.gcm_objective == 16
    assert [(c.code, c.label, c.sector) for c in question.choices] == [
        ("weekly", {"en": "Weekly"}, None), ("monthly", {"en": "Monthly"}, "information")]
    assert question.label == {"en": "How often do you meet?", "ar": "كم مرة تجتمعون؟"}


def test_a_yes_no_question_gets_its_choices(app, staff, needs_world):
    survey_id = needs_world["survey_id"]
    staff.post(f"/staff/surveys/{survey_id}/questions/new",
               data=_question_form(kind="yes_no", choice_code_0="", choice_code_1=""))
    assert [c.code for c in _question(app, survey_id, "visits").choices] == ["yes", "no"]


def test_the_form_offers_blank_rows_and_the_objectives_iraq_named_first(staff, needs_world):
    page = _page(staff.get(f"/staff/surveys/{needs_world['survey_id']}/questions/new?lang=en"))
    assert 'name="choice_code_2"' in page and 'name="choice_code_3"' not in page
    assert 'name="choice_label_0_sv"' in page
    named = page.index('<optgroup label="Named in Iraq\'s national review">')
    assert page.index('value="2"', named) < page.index('value="1"', named) \
        < page.index("Other objectives")
    assert 'name="condition_question"' in page
    # The expression is folded on the same form: opening it loses nothing typed.
    folded = page.index("<summary>Write the condition as an XLSForm expression instead")
    assert page.index('name="condition_expression"') > folded


def test_a_condition_from_three_fields(app, staff, needs_world):
    survey_id = needs_world["survey_id"]
    staff.post(f"/staff/surveys/{survey_id}/questions/new", data=_question_form(
        condition_question="docs_kinds", condition_operator="selected",
        condition_value="passport"))
    assert _question(app, survey_id, "visits").relevant == "selected(${docs_kinds}, 'passport')"


def test_a_condition_of_several_tests_is_edited_as_an_expression(app, staff, needs_world):
    survey_id = needs_world["survey_id"]
    question = _question(app, survey_id, "docs_people")
    with app.app_context():
        db.session.get(Question, question.id).relevant = \
            "${docs_problem} = 'yes' and selected(${docs_kinds}, 'passport')"
        db.session.commit()
    path = f"/staff/surveys/{survey_id}/questions/{question.id}?lang=en"
    page = _page(staff.get(path))
    assert 'name="condition_expression"' in page and 'name="condition_question"' not in page
    assert "${docs_problem} = &#39;yes&#39; and selected(" in page
    form = {"name": "docs_people", "kind": "integer", "label_en": "People",
            "condition_expression": "${docs_problem} = 'yes' or"}
    page = _page(staff.post(path, data=form))
    assert 'href="#condition_expression"' in page
    staff.post(path, data=form | {"condition_expression": "${docs_problem}='no'"})
    assert _question(app, survey_id, "docs_people").relevant == "${docs_problem} = 'no'"


def test_errors_stay_beside_their_fields_and_nothing_typed_is_lost(app, staff, needs_world):
    survey_id = needs_world["survey_id"]
    response = staff.post(f"/staff/surveys/{survey_id}/questions/new?lang=en", data=_question_form(
        name="households", hxl="no tag", label_sv="Hur ofta?", choice_code_1="Monthly!",
        condition_question="return_intent", condition_value="always"))
    page = _page(response)
    assert response.status_code == 200
    for field in ("name", "hxl", "choice_list", "condition_value"):
        assert f'href="#{field}"' in page, field
    assert 'value="Hur ofta?"' in page and 'value="Monthly!"' in page
    assert 'value="always"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Question.id))) == 8


def test_a_change_that_breaks_another_question_says_which(app, staff, needs_world):
    survey_id = needs_world["survey_id"]
    question = _question(app, survey_id, "docs_problem")
    page = _page(staff.post(f"/staff/surveys/{survey_id}/questions/{question.id}?lang=en",
                            data={"name": "documents", "kind": "yes_no", "label_en": "Docs?"}))
    assert "Question “docs_kinds”" in page and 'value="documents"' in page
    assert _question(app, survey_id, "docs_problem")


def test_questions_move_and_are_deleted_after_a_confirmation(app, staff, needs_world):
    survey_id = needs_world["survey_id"]
    docs_problem = _question(app, survey_id, "docs_problem")
    response = staff.post(f"/staff/surveys/{survey_id}/questions/{docs_problem.id}/move?lang=en",
                          data={"direction": "down"}, follow_redirects=True)
    assert "Question “docs_kinds”" in _page(response)  # its condition would read a later one
    households = _question(app, survey_id, "households")
    staff.post(f"/staff/surveys/{survey_id}/questions/{households.id}/move",
               data={"direction": "down"})
    assert [q.name for q in _survey(app, survey_id).questions][:2] == ["docs_problem",
                                                                        "households"]
    path = f"/staff/surveys/{survey_id}/questions/{households.id}/delete"
    assert "Delete the question" in _page(staff.get(path + "?lang=en"))
    assert len(_survey(app, survey_id).questions) == 8
    staff.post(path)
    assert len(_survey(app, survey_id).questions) == 7
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["survey.question_moved", "survey.question_deleted"]


def test_a_frozen_survey_offers_a_new_version(app, staff, needs_world):
    survey_id = needs_world["survey_id"]
    survey = _survey(app, survey_id)
    with app.app_context():
        report = NeedsReport(round_id=needs_world["round_id"],
                             council_id=needs_world["council_id"])
        report.answers = [Answer(question_id=survey.questions[0].id, number=3)]
        db.session.add(report)
        db.session.commit()
    page = _page(staff.get(f"/staff/surveys/{survey_id}?lang=en"))
    assert "Make a new version" in page and "/questions/new" not in page and "/move" not in page
    question_path = f"/staff/surveys/{survey_id}/questions/{survey.questions[7].id}"
    assert staff.get(question_path).headers["Location"].endswith(f"/staff/surveys/{survey_id}")
    page = _page(staff.post(question_path + "?lang=en",
                            data={"name": "notes", "kind": "long_text", "label_en": "Typed"}))
    assert "cannot change any more" in page and 'value="Typed"' in page
    response = staff.post(f"/staff/surveys/{survey_id}/versions")
    with app.app_context():
        copy = db.session.scalar(select(Survey).where(Survey.version == 2))
        assert copy.lineage_id == survey_id and len(copy.questions) == 8
    assert response.headers["Location"].endswith(f"/staff/surveys/{copy.id}")
    assert "/questions/new" in _page(staff.get(f"/staff/surveys/{copy.id}"))


@pytest.mark.parametrize("locale", LOCALES)
def test_forms_with_errors_in_every_language(app, staff, needs_world, locale):
    survey_id = needs_world["survey_id"]
    sentences = english_sentences(locale)
    with app.test_request_context(), force_locale(locale):
        heading = gettext("Please correct the following:")
    forms = [
        ("/staff/surveys/new", {"default_locale": locale, "title_en": "x" * 300}),
        (f"/staff/surveys/{survey_id}/texts", {"default_locale": "fa", "title_fa": "نیازها"}),
        (f"/staff/surveys/{survey_id}/questions/new", _question_form(
            name="1st", kind="integer", min_value="٥", max_value="2,5", max_length="0",
            gcm_objective="24", condition_question="notes", choice_code_0="",
            choice_label_0_ar="بلا رمز")),
        (f"/staff/surveys/{survey_id}/questions/new", _question_form(
            name="csrf_token", hxl="#", condition_expression="${households} > 3")),
        ("/staff/surveys/import", {}),
    ]
    for path, data in forms:
        response = staff.post(f"{path}?lang={locale}", data=data)
        page = _page(response)
        assert response.status_code == 200, (path, response.status_code)
        assert heading in page, (path, locale)
        untranslated = [s for s in sentences if s in page]
        assert not untranslated, f"{path} in {locale}: {untranslated[:3]}"


def test_an_xlsform_is_uploaded_and_downloaded(app, staff, needs_world):
    survey_id = needs_world["survey_id"]
    response = staff.get(f"/staff/surveys/{survey_id}/xlsform.xlsx")
    assert response.headers["Content-Disposition"] == \
        f'attachment; filename="survey-{survey_id}-v1.xlsx"'
    assert response.data[:2] == b"PK"
    response = staff.post("/staff/surveys/import", data={
        "workbook": (BytesIO(response.data), "needs.xlsx")}, content_type="multipart/form-data")
    with app.app_context():
        imported = db.session.scalar(select(Survey).where(Survey.id != survey_id))
        assert response.headers["Location"].endswith(f"/staff/surveys/{imported.id}")
        assert [q.name for q in imported.questions] == [
            q.name for q in _survey(app, survey_id).questions]
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "survey.imported"))
        assert event.subject_id == imported.id


def test_a_workbook_that_cannot_be_imported_lists_its_problems(app, staff, needs_world):
    with app.test_request_context():
        survey = builder.find_survey(needs_world["survey_id"])
        survey.questions[2].relevant = "${nowhere} = 'x'"
        workbook = write_survey(survey)
        db.session.rollback()
    response = staff.post("/staff/surveys/import?lang=en", data={
        "workbook": (BytesIO(workbook), "broken.xlsx")}, content_type="multipart/form-data")
    page = _page(response)
    assert response.status_code == 200 and "What has to change in the workbook" in page
    assert "nowhere" in page
    response = staff.post("/staff/surveys/import?lang=en", data={
        "workbook": (BytesIO(b"not a workbook"), "junk.xlsx")}, content_type="multipart/form-data")
    assert response.status_code == 200 and "What has to change in the workbook" in _page(response)
    with app.app_context():
        assert db.session.scalar(select(func.count(Survey.id))) == 1


def _grow(app, survey_id: int, count: int) -> None:
    """``count`` more surveys of eight questions each, and ``count`` more questions (with
    choices) in the survey ``survey_id``."""
    with app.test_request_context():
        survey = builder.find_survey(survey_id)
        for n in range(count):
            build_small_survey()
            builder.save_question(survey, QuestionDraft(
                name=f"extra_{len(survey.questions)}", kind=QuestionKind.SINGLE,
                label={"en": f"Extra {n}"},
                choices=[ChoiceDraft(code, {"en": code}) for code in ("a", "b", "c")]))
        db.session.commit()


def test_the_list_and_a_survey_cost_the_same_statements_whatever_their_size(app, staff,
                                                                             needs_world):
    survey_id = needs_world["survey_id"]
    paths = ["/staff/surveys/", f"/staff/surveys/{survey_id}"]
    _grow(app, survey_id, 2)
    few = [statements(app, staff, path) for path in paths]
    _grow(app, survey_id, 15)
    many = [statements(app, staff, path) for path in paths]
    assert many == few and max(many) <= 8, list(zip(paths, few, many, strict=True))


def test_a_workbook_over_the_request_limit_is_refused_before_it_is_read(staff):
    response = staff.post("/staff/surveys/import", data={
        "workbook": (BytesIO(b"0" * (2 * 1024 * 1024 + 1)), "big.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code == 413


@pytest.mark.parametrize("locale", ["ar", "ckb", "ku", "fa"])
def test_the_builders_pages_are_translated(app, staff, needs_world, locale):
    survey_id = needs_world["survey_id"]
    question_id = _survey(app, survey_id).questions[4].id
    sentences = english_sentences(locale)
    for path in ("/staff/surveys/", "/staff/surveys/new", "/staff/surveys/import",
                 f"/staff/surveys/{survey_id}", f"/staff/surveys/{survey_id}/texts",
                 f"/staff/surveys/{survey_id}/questions/{question_id}",
                 f"/staff/surveys/{survey_id}/questions/{question_id}/delete"):
        page = _page(staff.get(f"{path}?lang={locale}"))
        untranslated = [s for s in sentences if s in page]
        assert not untranslated, f"{path} in {locale}: {untranslated[:3]}"

"""The standard survey is NEEDS-SURVEY.md's, well formed, and speaks every language."""

import re

import pytest

from portal.i18n import LOCALES
from portal.needs.models import QuestionKind, Sector
from portal.needs.rules import survey_problems
from portal.needs.standard import build_standard_survey

# NEEDS-SURVEY.md's table: name → (kind, sector, GCM objective, HXL hashtag).
K, S = QuestionKind, Sector
TABLE = {
    "households": (K.INTEGER, S.OTHER, 1, "#affected+hh"),
    "members_est": (K.INTEGER, S.OTHER, 1, "#population+est"),
    "docs_problem": (K.YES_NO, S.DOCUMENTATION, 4, None),
    "docs_kinds": (K.MULTIPLE, S.DOCUMENTATION, 4, "#indicator+docs"),
    "docs_people": (K.INTEGER, S.DOCUMENTATION, 4, "#inneed+ind"),
    "consular_distance": (K.SINGLE, S.DOCUMENTATION, 14, None),
    "return_intent": (K.SINGLE, S.RETURN, 21, None),
    "return_barriers": (K.MULTIPLE, S.RETURN, 21, None),
    "children_school": (K.INTEGER, S.EDUCATION, 15, "#affected+children+edu"),
    "certificates": (K.YES_NO, S.EDUCATION, 18, None),
    "health_access": (K.SINGLE, S.HEALTH, 15, None),
    "psychosocial": (K.YES_NO, S.PSYCHOSOCIAL, 7, None),
    "work_permit": (K.SINGLE, S.LIVELIHOODS, 6, None),
    "skills_offer": (K.LONG_TEXT, S.LIVELIHOODS, 19, "#description+skills"),
    "remittance_cost": (K.SINGLE, S.LIVELIHOODS, 20, None),
    "housing": (K.SINGLE, S.HOUSING, 15, None),
    "legal_aid": (K.INTEGER, S.LEGAL, 7, "#inneed+ind+legal"),
    "info_channel": (K.MULTIPLE, S.INFORMATION, 3, None),
    "top_need": (K.SINGLE, None, None, "#sector"),
    "notes": (K.LONG_TEXT, S.INFORMATION, None, "#description"),
}
CHOICE_COUNTS = {"docs_problem": 2, "docs_kinds": 6, "consular_distance": 4, "return_intent": 4,
                 "return_barriers": 6, "certificates": 2, "health_access": 3, "psychosocial": 2,
                 "work_permit": 3, "remittance_cost": 3, "housing": 3, "info_channel": 5,
                 "top_need": len(Sector)}


@pytest.fixture
def survey(ctx):
    return build_standard_survey()


def test_the_standard_survey_is_well_formed(survey):
    assert survey_problems(survey) == []
    assert survey.lineage_id == survey.id and survey.version == 1


def test_the_questions_are_those_of_the_design(survey):
    questions = {q.name: q for q in survey.questions}
    assert list(questions) == list(TABLE)
    assert {name: (q.kind, q.sector, q.gcm_objective, q.hxl)
            for name, q in questions.items()} == TABLE
    assert {name: len(q.choices) for name, q in questions.items() if q.choices} == CHOICE_COUNTS
    assert {name: q.relevant for name, q in questions.items() if q.relevant} == {
        "docs_kinds": "${docs_problem} = 'yes'", "docs_people": "${docs_problem} = 'yes'",
        "return_barriers": "${return_intent} != 'none'"}
    assert {name: q.min_value for name, q in questions.items() if q.kind == K.INTEGER} == {
        "households": 0, "members_est": 0, "docs_people": 1, "children_school": 0,
        "legal_aid": 0}
    assert questions["notes"].max_length == 2000


def test_each_urgent_need_counts_for_its_sector(survey):
    top_need = next(q for q in survey.questions if q.name == "top_need")
    assert [(c.code, c.sector) for c in top_need.choices] == [(s.value, s) for s in Sector]
    others = [c for q in survey.questions if q.name != "top_need" for c in q.choices]
    assert others and all(c.sector is None for c in others)


def _texts(survey):
    """(where, {locale: text}) for every text of the survey."""
    yield "title", survey.title
    yield "description", survey.description
    for question in survey.questions:
        yield question.name, question.label
        if question.hint:
            yield f"{question.name} hint", question.hint
        for choice in question.choices:
            yield f"{question.name}.{choice.code}", choice.label


def test_every_text_is_in_every_language(survey):
    hinted = [q.name for q in survey.questions if q.hint]
    assert len(hinted) >= 10
    for where, texts in _texts(survey):
        assert sorted(texts) == sorted(LOCALES), where
        assert all(text.strip() == text and text for text in texts.values()), where


# Letters and digits each language must not use (GLOSSARY.md): Sorani and Persian write ک and ی,
# never Arabic ك and ي; Arabic the reverse; each keeps one digit system; Kurmanji is Latin.
FOREIGN = {
    "ar": r"[کیۆەڕڵێ۰-۹٠-٩]", "ckb": r"[كي0-9۰-۹]", "fa": r"[كيۆەڕڵێ0-9٠-٩]",
    "ku": r"[\u0600-\u06ff]", "en": r"[^\x00-\x7f–]", "de": r"[\u0600-\u06ff]",
    "sv": r"[\u0600-\u06ff]", "tr": r"[\u0600-\u06ff]",
}


def test_each_language_in_its_own_script_and_digits(survey):
    for where, texts in _texts(survey):
        for locale, text in texts.items():
            assert not re.search(FOREIGN[locale], text), (where, locale, text)


def test_iraqi_documents_carry_the_names_iraqis_use(survey):
    docs = next(q for q in survey.questions if q.name == "docs_kinds")
    arabic = [choice.label["ar"] for choice in docs.choices]
    names = ["جواز السفر العراقي", "البطاقة الوطنية الموحدة", "شهادة الجنسية العراقية",
             "سجلات الأحوال المدنية", "بطاقة السكن", "وكالة"]
    assert [label.startswith(name) for label, name in zip(arabic, names, strict=True)] == \
        [True] * 6

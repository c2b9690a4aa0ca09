"""The needs schema holds a survey of every kind of question, and texts fall back by language."""

from sqlalchemy import select

from portal.extensions import db
from portal.needs.models import NeedsRound, Survey, localized


def test_the_small_survey_and_its_round_are_stored(app, needs_world):
    with app.app_context():
        survey = db.session.get(Survey, needs_world["survey_id"])
        assert [q.name for q in survey.questions][:2] == ["households", "docs_problem"]
        assert survey.lineage_id == survey.id
        assert db.session.scalar(select(NeedsRound)).survey is survey


def test_a_missing_translation_falls_back_to_the_default_language():
    texts = {"en": "How many households?", "ar": "كم عدد الأسر؟"}
    assert localized(texts, "ar", "en") == ("كم عدد الأسر؟", "ar")
    assert localized(texts, "ckb", "en") == ("How many households?", "en")
    assert localized({"en": "x", "de": ""}, "de", "en") == ("x", "en")

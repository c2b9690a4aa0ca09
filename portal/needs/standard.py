"""The ministry's standard quarterly needs survey (design/NEEDS-SURVEY.md), built as models with
every text in the eight languages: what a leader in Istanbul, Tehran or Berlin is asked each
quarter. The demo, the benchmark and the tests use it, and staff can start from it.
"""

from portal.extensions import db
from portal.needs.models import Choice, Question, QuestionKind, Sector, Survey
from portal.needs.standard_texts import CHOICES, DESCRIPTION, HINTS, LABELS, TITLE

DEFAULT_LOCALE = "ar"  # the ministry writes in Arabic; every text exists in every language
SHOWN_IF_DOCS_PROBLEM = "${docs_problem} = 'yes'"

K, S = QuestionKind, Sector
# name, kind, sector, GCM objective, HXL hashtag, further fields (required, bounds, condition)
QUESTIONS = (
    ("households", K.INTEGER, S.OTHER, 1, "#affected+hh", {"required": True, "min_value": 0}),
    ("members_est", K.INTEGER, S.OTHER, 1, "#population+est", {"min_value": 0}),
    ("docs_problem", K.YES_NO, S.DOCUMENTATION, 4, None, {"required": True}),
    ("docs_kinds", K.MULTIPLE, S.DOCUMENTATION, 4, "#indicator+docs",
     {"relevant": SHOWN_IF_DOCS_PROBLEM}),
    ("docs_people", K.INTEGER, S.DOCUMENTATION, 4, "#inneed+ind",
     {"min_value": 1, "relevant": SHOWN_IF_DOCS_PROBLEM}),
    ("consular_distance", K.SINGLE, S.DOCUMENTATION, 14, None, {}),
    ("return_intent", K.SINGLE, S.RETURN, 21, None, {"required": True}),
    ("return_barriers", K.MULTIPLE, S.RETURN, 21, None, {"relevant": "${return_intent} != 'none'"}),
    ("children_school", K.INTEGER, S.EDUCATION, 15, "#affected+children+edu", {"min_value": 0}),
    ("certificates", K.YES_NO, S.EDUCATION, 18, None, {}),
    ("health_access", K.SINGLE, S.HEALTH, 15, None, {}),
    ("psychosocial", K.YES_NO, S.PSYCHOSOCIAL, 7, None, {}),
    ("work_permit", K.SINGLE, S.LIVELIHOODS, 6, None, {}),
    ("skills_offer", K.LONG_TEXT, S.LIVELIHOODS, 19, "#description+skills", {}),
    ("remittance_cost", K.SINGLE, S.LIVELIHOODS, 20, None, {}),
    ("housing", K.SINGLE, S.HOUSING, 15, None, {}),
    ("legal_aid", K.INTEGER, S.LEGAL, 7, "#inneed+ind+legal", {"min_value": 0}),
    ("info_channel", K.MULTIPLE, S.INFORMATION, 3, None, {}),
    # No sector of its own: each choice names the sector it counts for.
    ("top_need", K.SINGLE, None, None, "#sector", {"required": True}),
    ("notes", K.LONG_TEXT, S.INFORMATION, None, "#description", {"max_length": 2000}),
)
SECTOR_CHOICES = "top_need"  # the question whose choice codes are the sectors they count for


def build_standard_survey(created_by=None) -> Survey:
    """Add the standard survey as a new survey of its own lineage (version 1) and flush."""
    survey = Survey(default_locale=DEFAULT_LOCALE, title=dict(TITLE),
                    description=dict(DESCRIPTION), created_by=created_by)
    survey.questions = [_question(position, *row) for position, row in enumerate(QUESTIONS)]
    db.session.add(survey)
    db.session.flush()
    survey.lineage_id = survey.id
    db.session.flush()
    return survey


def _question(position, name, kind, sector, gcm, hxl, fields) -> Question:
    question = Question(position=position, name=name, kind=kind, sector=sector,
                        gcm_objective=gcm, hxl=hxl, label=dict(LABELS[name]),
                        hint=dict(HINTS.get(name, {})), **fields)
    question.choices = [
        Choice(position=index, code=code, label=dict(label),
               sector=Sector(code) if name == SECTOR_CHOICES else None)
        for index, (code, label) in enumerate(CHOICES.get(name, {}).items())]
    return question

"""The dashboard's figures and charts are kept rendered, and never stale: a report sent, a
survey edited before any answer, a council moved to another country each show at once."""

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from portal.councils.models import Council
from portal.councils.services import PlaceTexts, update_council
from portal.extensions import db
from portal.needs import builder
from portal.needs.models import NeedsRound, Question, ReportStatus, Tally
from tests.conftest import counted_statements
from tests.needs.conftest import build_small_survey
from tests.needs.dashboard_data import BERLIN, add_round, council, report, staff_with_known_reports
from tests.needs.test_dashboard_pages import page


@pytest.fixture
def staff(app, needs_world):
    return staff_with_known_reports(app, needs_world)


def reads_tallies(app, client, path: str) -> bool:
    with app.app_context(), counted_statements() as seen:
        assert client.get(path).status_code == 200
    return any("needs_tallies" in statement for statement in seen)


@pytest.mark.parametrize("path", ["/staff/needs/dashboard",
                                  "/staff/needs/dashboard?country=TR&group=objective",
                                  "/staff/needs/dashboard/round-{r}/households.svg"])
def test_figures_are_counted_once_and_kept(app, staff, needs_world, path):
    path = path.format(r=needs_world["round_id"])
    assert reads_tallies(app, staff, path)
    assert not reads_tallies(app, staff, path)
    other_language = path + ("&" if "?" in path else "?") + "lang=ar"
    assert reads_tallies(app, staff, other_language)  # each language is rendered on its own


def test_a_report_sent_shows_at_once(app, staff, needs_world):
    assert "3 reports sent" in page(staff)
    with app.test_request_context():
        needs_round = db.session.get(NeedsRound, needs_world["round_id"])
        report(needs_round, council("Iraqi Council of Izmir", "TR", "tr-izmir").id,
               ReportStatus.SUBMITTED, BERLIN)  # sending retallies the round, as the service does
        db.session.commit()
    html = page(staff)
    assert "4 reports sent" in html
    assert "<td>3</td><td>35</td>" in html  # Türkiye's households: 10 + 20 + 5


def test_a_survey_edited_before_any_answer_shows_its_new_labels(app, staff, needs_world):
    with app.test_request_context():
        survey = build_small_survey()
        fresh = add_round(survey, "2027-Q1", date(2027, 1, 1))
        db.session.commit()
        show = f"round-{fresh.id}"
    assert "Households?" in page(staff, show=show)
    with app.test_request_context():
        survey = builder.find_survey(fresh.survey_id)
        question = survey.questions[0]
        draft = replace(builder.QuestionDraft.of(question), label={"en": "Families?"})
        builder.save_question(survey, draft, question)
        db.session.commit()
    html = page(staff, show=show)
    assert "Families?" in html and "Households?" not in html


def test_a_council_moved_to_another_country_is_counted_there(app, staff, needs_world):
    """Istanbul's report (10 households) moves from Türkiye to Germany with its council."""
    with app.test_request_context():
        istanbul = db.session.get(Council, needs_world["council_id"])
        texts = {istanbul.default_locale: PlaceTexts(istanbul.name, istanbul.city, "")}
        update_council(istanbul, "DE", istanbul.default_locale, texts)
        db.session.commit()
        counted = dict(db.session.execute(
            select(Tally.country, Tally.total).join(Question)
            .where(Question.name == "households",
                   Tally.round_id == needs_world["round_id"])).all())
    assert counted["TR"] == 20 and counted["DE"] == 15  # households: Ankara; Berlin + Istanbul
    assert "2 reports sent" in page(staff, country="DE")
    assert "1 report sent" in page(staff, country="TR")

"""Reports as services: answers read and checked per question, conditions on the server, drafts
with a revision check, submission and resubmission, and the answers table."""

from datetime import date, timedelta

import pytest
from flask import render_template_string
from flask_babel import force_locale
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.auth.services import find_by_email
from portal.councils.models import CouncilStatus
from portal.councils.services import find_council
from portal.errors import DomainError
from portal.extensions import db
from portal.needs import reports
from portal.needs.models import Answer, NeedsReport, NeedsRound, ReportStatus, ReviewEvent
from portal.needs.reading import number_text, parse_number, read_answers
from portal.needs.reports import InvalidAnswers, StaleReport, answers_of, save_answers

COMPLETE = {"households": ["12"], "docs_problem": ["yes"], "docs_kinds": ["passport",
            "civil_records"], "docs_people": ["3"], "return_intent": ["few"],
            "share_abroad": ["12.5"], "meeting_day": ["2026-11-02"], "notes": ["Line one\nTwo"]}


@pytest.fixture
def setting(app, needs_world):
    """The round, council A, the leader and another leader of A, inside a request."""
    with app.test_request_context(), force_locale("en"):
        needs_round = db.session.get(NeedsRound, needs_world["round_id"])
        council = find_council(needs_world["council"])
        yield needs_round, council, find_by_email(needs_world["leader"])
        db.session.rollback()


def questions(needs_round):
    return reports.questions_of(needs_round.survey)


def save(setting, sent, revision=0, submit=False, report=None, locale="en"):
    needs_round, council, leader = setting
    return save_answers(needs_round, council, report, sent, locale, revision, leader, submit)


def test_every_kind_is_read_into_its_value(setting):
    reading = read_answers(questions(setting[0]), COMPLETE, "en", complete=True)
    assert reading.errors == {}
    assert reading.values == {
        "households": 12, "docs_problem": "yes", "docs_kinds": ["passport", "civil_records"],
        "docs_people": 3, "return_intent": "few", "share_abroad": 12.5,
        "meeting_day": date(2026, 11, 2), "notes": "Line one\nTwo"}


@pytest.mark.parametrize(("name", "typed", "message"), [
    ("households", "twelve", "Please enter a number."),
    ("households", "2.5", "Please enter a whole number."),
    ("households", "-1", "Please enter a number of at least 0."),
    ("share_abroad", "101", "Please enter a number between 0 and 100."),
    ("docs_problem", "maybe", "Please choose one of the options."),
    ("return_intent", "all", "Please choose one of the options."),
    ("meeting_day", "2026-02-30", "Please enter a date."),
    ("meeting_day", "02/11/2026", "Please enter a date."),
    ("notes", "x" * 2001, "Please use at most 2,000 characters."),
])
def test_a_refused_answer_gets_its_message(setting, name, typed, message):
    reading = read_answers(questions(setting[0]), COMPLETE | {name: [typed]}, "en",
                           complete=False)
    assert reading.errors == {name: message}
    assert name not in reading.values
    assert reading.typed[name] == [typed]


def test_a_multiple_choice_refuses_an_unknown_code_and_keeps_choice_order(setting):
    qs = questions(setting[0])
    refused = read_answers(qs, COMPLETE | {"docs_kinds": ["passport", "visa"]}, "en", False)
    assert refused.errors == {"docs_kinds": "Please choose one of the options."}
    ordered = read_answers(qs, COMPLETE | {"docs_kinds": ["civil_records", "passport",
                                                          "passport"]}, "en", False)
    assert ordered.values["docs_kinds"] == ["passport", "civil_records"]


def test_the_questions_own_constraint_message_in_the_readers_language(app, setting):
    survey = setting[0].survey
    households = questions(setting[0])[0]
    households.constraint_message = {"en": "Count households, not people.",
                                     "ar": "عدّوا الأسر لا الأفراد."}
    with force_locale("ar"):
        reading = read_answers(survey.questions, {"households": ["-4"]}, "ar", False)
    assert reading.errors == {"households": "عدّوا الأسر لا الأفراد."}
    with force_locale("de"):  # no German text: the survey's default language
        reading = read_answers(survey.questions, {"households": ["-4"]}, "de", False)
    assert reading.errors == {"households": "Count households, not people."}


def test_required_questions_wait_until_submission(setting):
    qs = questions(setting[0])
    assert read_answers(qs, {}, "en", complete=False).errors == {}
    assert read_answers(qs, {}, "en", complete=True).errors == {
        "households": "Please answer this question.",
        "docs_problem": "Please answer this question."}


def test_a_hidden_question_is_ignored_and_its_answer_dropped(setting):
    sent = COMPLETE | {"docs_problem": ["no"], "docs_people": ["not even a number"]}
    reading = read_answers(questions(setting[0]), sent, "en", complete=True)
    assert reading.errors == {}
    assert "docs_kinds" not in reading.values and "docs_people" not in reading.values


@pytest.mark.parametrize(("locale", "typed", "value"), [
    ("ckb", "١٢٫٥", 12.5), ("fa", "۱۲٫۵", 12.5), ("ar", "١٢٫٥", 12.5), ("ar", "12.5", 12.5),
    ("de", "12,5", 12.5), ("de", "1.234,5", 1234.5), ("sv", "1 234,5", 1234.5),
    ("sv", "1\u00a0234,5", 1234.5), ("tr", "12,5", 12.5), ("en", "1,234.5", 1234.5),
    ("en", "12.5", 12.5), ("fa", "۱۲", 12), ("de", "2.5", 2.5),
])
def test_numbers_in_the_leaders_digits_and_separators(app, locale, typed, value):
    assert parse_number(typed, locale) == pytest.approx(value)


@pytest.mark.parametrize(("locale", "typed"), [("en", "12,5"), ("de", "1.23,4"),
                                               ("en", "1e5"), ("en", "٣-"), ("en", "")])
def test_what_is_not_a_number(app, locale, typed):
    assert parse_number(typed, locale) is None


@pytest.mark.parametrize("locale", ["ar", "ckb", "ku", "en", "tr", "fa", "de", "sv"])
def test_a_stored_number_goes_back_into_the_form_unchanged(app, locale):
    with app.test_request_context(), force_locale(locale):
        for value in (1234.5678, 0.1, -3.25, 12):
            assert float(parse_number(number_text(value), locale)) == value


def test_a_draft_is_saved_and_read_back(setting):
    report = save(setting, COMPLETE)
    assert (report.status, report.revision) == (ReportStatus.DRAFT, 1)
    assert answers_of(report) == read_answers(questions(setting[0]), COMPLETE, "en",
                                              True).values
    assert db.session.scalar(select(func.count(Answer.id))) == 9  # two rows for docs_kinds


def test_an_answer_that_became_hidden_is_removed_from_the_stored_ones(setting):
    report = save(setting, COMPLETE)
    save(setting, COMPLETE | {"docs_problem": ["no"]}, revision=1, report=report)
    assert "docs_kinds" not in answers_of(report) and "docs_people" not in answers_of(report)
    assert answers_of(report)["docs_problem"] == "no"


def test_a_second_save_with_an_old_revision_is_refused(setting):
    report = save(setting, COMPLETE)
    save(setting, COMPLETE | {"households": ["13"]}, revision=1, report=report)
    with pytest.raises(StaleReport):
        save(setting, COMPLETE | {"households": ["14"]}, revision=1, report=report)
    assert answers_of(report)["households"] == 13


def test_two_first_saves_of_one_report_do_not_both_create_it(setting):
    first = save(setting, COMPLETE)
    with pytest.raises(StaleReport):  # the second form was loaded before any report existed
        save(setting, {"households": ["1"]})
    assert answers_of(first)["households"] == 12
    assert db.session.scalar(select(func.count(NeedsReport.id))) == 1


def test_submission_needs_valid_complete_answers(setting):
    with pytest.raises(InvalidAnswers) as refused:
        save(setting, {"households": ["5"]}, submit=True)
    assert set(refused.value.reading.errors) == {"docs_problem"}
    assert db.session.scalar(select(func.count(NeedsReport.id))) == 0


def test_submit_then_resubmit_after_return(setting):
    needs_round, _council, leader = setting
    report = save(setting, COMPLETE, submit=True)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at
    with pytest.raises(DomainError, match="can no longer be changed"):
        save(setting, COMPLETE, revision=report.revision, report=report)
    report.status = ReportStatus.RETURNED  # as the ministry's review does
    report.revision += 1
    db.session.flush()
    needs_round.closes_on = needs_round.opens_on  # a returned report outlives its round
    save(setting, COMPLETE | {"households": ["20"]}, revision=report.revision, report=report,
         submit=True)
    events = db.session.scalars(select(ReviewEvent).order_by(ReviewEvent.id)).all()
    assert [(e.from_status, e.to_status, e.actor_id) for e in events] == [
        (ReportStatus.DRAFT, ReportStatus.SUBMITTED, leader.id),
        (ReportStatus.RETURNED, ReportStatus.SUBMITTED, leader.id)]
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.action.like("needs.%")).order_by(AuditEvent.id)).all()
    assert actions == ["needs.report_submitted", "needs.report_resubmitted"]


def test_a_closed_round_takes_no_draft(setting):
    needs_round = setting[0]
    needs_round.closes_on = date.today() - timedelta(days=2)
    needs_round.opens_on = needs_round.closes_on - timedelta(days=10)
    with pytest.raises(DomainError, match="round is closed"):
        save(setting, COMPLETE)


def test_a_suspended_councils_leaders_cannot_save(setting):
    setting[1].status = CouncilStatus.SUSPENDED
    with pytest.raises(DomainError, match="suspended"):
        save(setting, COMPLETE)


def test_the_answers_table_in_the_readers_language(app, setting):
    report = save(setting, COMPLETE)
    macro = '{% from "needs/answers.html" import answers_table %}{{ answers_table(report) }}'
    with force_locale("ckb"):
        html = render_template_string(macro, report=report)
    assert "١٢" in html  # households in Sorani digits
    assert '<th scope="row" lang="en" dir="ltr">Return intent?</th>' in html  # fallback
    assert '<li lang="en" dir="ltr">Passport</li>' in html
    assert '<div class="prose" dir="auto">Line one\nTwo</div>' in html

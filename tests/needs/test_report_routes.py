"""The leaders' pages: the open rounds, the survey form and a report's page, who reaches them,
and what the form does with errors, conflicts and expired tokens."""


import re
import time
from datetime import date

import pytest
from flask_babel import force_locale, gettext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import delete, func, select

from portal.auth.models import User
from portal.auth.services import find_by_email
from portal.councils.models import CouncilStatus
from portal.councils.services import add_member, create_council, find_council
from portal.extensions import db
from portal.i18n import LOCALES
from portal.needs import reports
from portal.needs.models import (
    NeedsReport,
    NeedsRound,
    ReportStatus,
    ReviewEvent,
    RoundCountry,
    RoundScope,
)
from tests.conftest import counted_statements, log_in

FILLED = {"households": "12", "docs_problem": "yes", "docs_kinds": ["passport"],
          "docs_people": "3", "return_intent": "few", "share_abroad": "12.5",
          "meeting_day": "2026-11-02", "notes": "Line one"}


def form_url(world, slug=None):
    return f"/needs/rounds/{world['round_id']}/councils/{slug or world['council']}"


@pytest.fixture
def leader(app, needs_world):
    client = app.test_client()
    log_in(client, needs_world["leader"])
    return client


def post(client, world, data, action="save", revision=0, **kwargs):
    return client.post(form_url(world), data=data | {"action": action, "revision": revision},
                       **kwargs)


def test_a_leader_saves_a_draft_then_submits(app, needs_world, leader):
    index = leader.get("/needs/").get_data(as_text=True)
    assert "2026-Q4" in index and form_url(needs_world) in index
    page = leader.get(form_url(needs_world)).get_data(as_text=True)
    assert 'name="households"' in page and 'name="docs_kinds" value="passport"' in page
    saved = post(leader, needs_world, FILLED)
    assert saved.status_code == 302 and saved.headers["Location"].endswith(form_url(needs_world))
    again = leader.get(form_url(needs_world)).get_data(as_text=True)
    assert 'value="12.5"' in again and 'name="revision" value="1"' in again
    submitted = post(leader, needs_world, FILLED, action="submit", revision=1)
    report_page = leader.get(submitted.headers["Location"]).get_data(as_text=True)
    assert "Submitted" in report_page and "Line one" in report_page
    with app.app_context():
        assert db.session.scalar(select(NeedsReport.status)) == ReportStatus.SUBMITTED


def test_leaders_find_the_reports_from_their_council_pages(app, needs_world, leader):
    assert 'href="/needs/"' in leader.get(f"/councils/{needs_world['council']}").get_data(
        as_text=True)
    assert 'href="/needs/"' in leader.get("/me/councils").get_data(as_text=True)
    member = app.test_client()
    log_in(member, needs_world["member"])
    assert 'href="/needs/"' not in member.get(f"/councils/{needs_world['council']}").get_data(
        as_text=True)
    assert 'href="/needs/"' not in member.get("/me/councils").get_data(as_text=True)


def set_locale(app, email, locale):
    with app.app_context():
        db.session.scalar(select(User).where(User.email == email)).locale = locale
        db.session.commit()


def report_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(NeedsReport.id))


def test_only_the_councils_leaders_reach_its_reports(app, needs_world, leader):
    post(leader, needs_world, FILLED)
    own = report_id(app)
    for who in ("member", "other_member", "staff", "outsider"):
        client = app.test_client()
        log_in(client, needs_world[who])
        assert client.get("/needs/").status_code == 404, who
        assert client.get(form_url(needs_world)).status_code == 404, who
        assert client.get(f"/needs/reports/{own}").status_code == 404, who
    other = app.test_client()
    log_in(other, needs_world["other_leader"])
    assert other.get("/needs/").status_code == 200
    assert other.get(form_url(needs_world)).status_code == 404
    assert post(other, needs_world, FILLED).status_code == 404
    assert other.get(f"/needs/reports/{own}").status_code == 404
    assert other.get(form_url(needs_world, needs_world["other_council"])).status_code == 200


def test_a_round_for_another_country_is_not_found(app, needs_world, leader):
    with app.app_context():
        needs_round = db.session.get(NeedsRound, needs_world["round_id"])
        needs_round.scope = RoundScope.COUNTRIES
        needs_round.country_rows = [RoundCountry(country="DE")]
        db.session.commit()
    assert leader.get(form_url(needs_world)).status_code == 404
    assert "2026-Q4" not in leader.get("/needs/").get_data(as_text=True)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_refused_answer_comes_back_in_the_leaders_language(app, needs_world, leader, locale):
    set_locale(app, needs_world["leader"], locale)
    page = post(leader, needs_world, FILLED | {"households": "abc", "notes": "كل شيء"})
    html = page.get_data(as_text=True)
    with app.test_request_context(), force_locale(locale):
        expected = [gettext("Please enter a number."), gettext("Please correct the following:"),
                    gettext("Save draft")]
    assert page.status_code == 422 and f'<html lang="{locale}"' in html
    assert all(str(escape(text)) in html for text in expected), locale
    assert 'value="abc"' in html and "كل شيء</textarea>" in html  # nothing typed is lost
    assert 'name="docs_kinds" value="passport"\n               id="q-docs_kinds-passport" checked' \
        in html
    with app.app_context():
        assert db.session.scalar(select(func.count(NeedsReport.id))) == 0


def test_labels_missing_in_the_leaders_language_are_marked(app, needs_world, leader):
    set_locale(app, needs_world["leader"], "de")
    german = leader.get(form_url(needs_world)).get_data(as_text=True)
    assert '<span lang="en" dir="ltr">Households?</span>' in german
    set_locale(app, needs_world["leader"], "ar")
    arabic = leader.get(form_url(needs_world)).get_data(as_text=True)
    assert "<span>سؤال households</span>" in arabic
    assert '<label for="q-return_intent-few" lang="en" dir="ltr">Few</label>' in arabic


def test_numbers_in_sorani_digits_are_read_and_shown_back(app, needs_world, leader):
    set_locale(app, needs_world["leader"], "ckb")
    assert post(leader, needs_world, FILLED | {"households": "١٢", "share_abroad": "٢٫٥"}
                ).status_code == 302
    with app.app_context():
        assert reports.answers_of(db.session.scalar(select(NeedsReport)))["share_abroad"] == 2.5
    page = leader.get(form_url(needs_world)).get_data(as_text=True)
    assert 'value="١٢"' in page and 'value="٢٫٥"' in page
    # A number reads left to right on a right-to-left page: "-3", never "3-".
    assert re.search(r'name="households" value="١٢" dir="ltr"', page)


def test_two_leaders_editing_one_draft(app, needs_world, leader):
    with app.test_request_context():
        add_member(find_council(needs_world["council"]), find_by_email(needs_world["member"]),
                   leader=True)
        db.session.commit()
    second = app.test_client()
    log_in(second, needs_world["member"])
    assert 'name="revision" value="0"' in second.get(form_url(needs_world)).get_data(as_text=True)
    assert post(leader, needs_world, FILLED).status_code == 302  # the first saves
    late = post(second, needs_world, FILLED | {"households": "99", "notes": "Mine"})
    html = late.get_data(as_text=True)
    assert late.status_code == 409 and "Another leader of the council saved" in html
    assert "The answers saved by another leader" in html and "Line one" in html  # theirs
    assert 'value="99"' in html and "Mine</textarea>" in html  # and still their own
    assert 'name="revision" value="1"' in html  # saving again is a choice
    assert post(second, needs_world, FILLED | {"households": "99"}, revision=1
                ).status_code == 302
    with app.app_context():
        assert reports.answers_of(db.session.scalar(select(NeedsReport)))["households"] == 99


def test_a_report_submitted_meanwhile_is_not_changed(app, needs_world, leader):
    post(leader, needs_world, FILLED, action="submit")
    late = post(leader, needs_world, FILLED | {"households": "1"}, revision=1)
    assert late.status_code == 302 and "/needs/reports/" in late.headers["Location"]
    with app.app_context():
        assert reports.answers_of(db.session.scalar(select(NeedsReport)))["households"] == 12


def test_an_expired_token_keeps_the_answers_and_saves_nothing(app, needs_world, leader,
                                                              monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = leader.get(form_url(needs_world)).get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    now = time.time()
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: now + 9 * 3600)
    long_answer = "A long answer typed over an afternoon. " * 40
    expired = post(leader, needs_world, FILLED | {"notes": long_answer, "csrf_token": token},
                   action="submit")
    html = expired.get_data(as_text=True)
    assert expired.status_code == 400 and "please save or submit again" in html
    assert f"{long_answer}</textarea>" in html and 'value="12.5"' in html
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert fresh != token
    missing = post(leader, needs_world, FILLED)  # no token at all: refused the same way
    assert missing.status_code == 400
    with app.app_context():
        assert db.session.scalar(select(func.count(NeedsReport.id))) == 0
    again = post(leader, needs_world, FILLED | {"notes": long_answer, "csrf_token": fresh},
                 action="submit")
    assert again.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(NeedsReport.status)) == ReportStatus.SUBMITTED


def test_a_suspended_councils_leaders_see_but_cannot_save(app, needs_world, leader):
    post(leader, needs_world, FILLED)
    with app.app_context():
        find_council(needs_world["council"]).status = CouncilStatus.SUSPENDED
        db.session.commit()
    page = leader.get(form_url(needs_world)).get_data(as_text=True)
    assert "This council is suspended" in page and 'value="submit"' not in page
    refused = post(leader, needs_world, FILLED | {"households": "1"}, revision=1,
                   follow_redirects=True)
    assert "This council is suspended" in refused.get_data(as_text=True)
    with app.app_context():
        assert reports.answers_of(db.session.scalar(select(NeedsReport)))["households"] == 12


def test_a_returned_report_is_changed_and_submitted_again(app, needs_world, leader):
    post(leader, needs_world, FILLED, action="submit")
    with app.app_context():
        report = db.session.scalar(select(NeedsReport))
        report.status, report.revision = ReportStatus.RETURNED, report.revision + 1
        db.session.add(ReviewEvent(report=report, from_status=ReportStatus.UNDER_REVIEW,
                                   to_status=ReportStatus.RETURNED,
                                   comment="Please count households, not people."))
        report.round.closes_on = report.round.opens_on  # closed meanwhile: returned still edits
        db.session.commit()
        revision, own = report.revision, report.id
    page = leader.get(f"/needs/reports/{own}").get_data(as_text=True)
    assert "Please count households, not people." in page and "Change and submit again" in page
    form = leader.get(form_url(needs_world)).get_data(as_text=True)
    assert "Submit again" in form and "Please count households, not people." in form
    assert post(leader, needs_world, FILLED | {"households": "7"}, action="submit",
                revision=revision).status_code == 302
    timeline = leader.get(f"/needs/reports/{own}").get_data(as_text=True)
    assert timeline.count("<li>") >= 3 and "Returned for changes" in timeline


def test_a_closed_round_sends_the_leader_to_the_report_or_the_list(app, needs_world, leader):
    with app.app_context():
        needs_round = db.session.get(NeedsRound, needs_world["round_id"])
        needs_round.opens_on, needs_round.closes_on = date(2026, 1, 1), date(2026, 1, 31)
        db.session.commit()
    assert leader.get(form_url(needs_world)).headers["Location"].endswith("/needs/")
    assert post(leader, needs_world, FILLED).headers["Location"].endswith("/needs/")
    with app.app_context():
        db.session.add(NeedsReport(round_id=needs_world["round_id"],
                                   council_id=needs_world["council_id"]))
        db.session.commit()
    draft = leader.get(form_url(needs_world))
    assert f"/needs/reports/{report_id(app)}" in draft.headers["Location"]
    page = leader.get(draft.headers["Location"]).get_data(as_text=True)
    assert "so it was not sent" in page


HIDDEN = ("docs_kinds", "docs_people")
text = st.text(max_size=30)
posted = st.fixed_dictionaries({}, optional={
    "households": text, "docs_problem": st.sampled_from(["yes", "no", "", "maybe"]) | text,
    "docs_kinds": st.lists(st.sampled_from(["passport", "national_card", "x"]) | text,
                           max_size=4),
    "docs_people": text, "return_intent": text, "share_abroad": text, "meeting_day": text,
    "notes": text, "revision": text, "action": st.sampled_from(["save", "submit", "", "x"])})


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=posted)
def test_random_answers_never_fail_nor_store_a_hidden_answer(app, needs_world, leader, data):
    response = leader.post(form_url(needs_world), data=data)
    assert response.status_code < 500
    with app.app_context():
        report = db.session.scalar(select(NeedsReport))
        stored = reports.answers_of(report) if report else {}
        if stored.get("docs_problem") != "yes":
            assert not set(HIDDEN) & stored.keys(), stored
        db.session.execute(delete(NeedsReport))  # each example starts afresh
        db.session.commit()


def test_leader_pages_cost_the_same_with_many_reports(app, needs_world, leader):
    post(leader, needs_world, FILLED)
    own = report_id(app)
    paths = ["/needs/", form_url(needs_world), f"/needs/reports/{own}"]

    def costs() -> list[int]:
        seen = []
        for path in paths:
            with app.app_context(), counted_statements() as statements:
                assert leader.get(path).status_code == 200, path
            seen.append(len(statements))
        return seen

    few = costs()
    with app.test_request_context():
        leader_user = find_by_email(needs_world["leader"])
        survey = db.session.get(NeedsRound, needs_world["round_id"]).survey
        for n in range(25):  # more than a page of the leader's reports
            council = create_council(f"Council {n}", "SE", f"Town {n}")
            add_member(council, leader_user, leader=True)
            needs_round = NeedsRound(survey=survey, label=f"R{n}", scope=RoundScope.ALL,
                                     opens_on=date(2026, 1, 1), closes_on=date(2026, 1, 31))
            db.session.add(NeedsReport(round=needs_round, council=council,
                                       status=ReportStatus.SUBMITTED))
        db.session.commit()
    many = costs()
    assert many == few and max(many) <= 8, list(zip(paths, few, many, strict=True))

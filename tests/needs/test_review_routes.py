"""The staff pages of the review: the list of reports with its filters, pages and overdue
marks, and a report's page with its timeline and the form that moves it on."""

import re
from datetime import timedelta

import pytest
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from portal.database import utcnow
from portal.extensions import db
from portal.forms import length_message
from portal.i18n import LOCALES
from portal.needs.models import NeedsReport, ReportStatus, ReviewEvent
from portal.needs.review import CHANGED_MEANWHILE
from tests.conftest import log_in
from tests.needs.review_data import add_councils, add_report, add_round


@pytest.fixture
def staff(app, needs_world):
    client = app.test_client()
    log_in(client, needs_world["staff"])
    return client


def with_reports(app, world, *specs) -> list[int]:
    """Reports of (council key, status, days since submission, answers), in the world's round."""
    with app.app_context():
        ids = [add_report(world["round_id"], world[council], status,
                          utcnow() - timedelta(days=days), answers).id
               for council, status, days, answers in specs]
        db.session.commit()
    return ids


def listed(client, query="") -> list[int]:
    """The ids of the reports the list's first page links to."""
    page = client.get(f"/staff/needs/?{query}")
    assert page.status_code == 200
    return [int(n) for n in re.findall(r'href="/staff/needs/reports/(\d+)"', page.text)]


def test_staff_see_every_sent_report_and_never_a_draft(app, staff, needs_world):
    sent, draft = with_reports(app, needs_world, ("council_id", "submitted", 1, {}),
                               ("other_council_id", "draft", 1, {}))
    assert listed(staff) == [sent]
    assert staff.get(f"/staff/needs/reports/{draft}").status_code == 404
    assert staff.get("/staff/needs/reports/99999").status_code == 404
    assert staff.get("/staff/needs/reports/99999999999").status_code == 404


def test_the_staff_menu_links_the_list(app, staff, needs_world):
    assert 'href="/staff/needs/"' in staff.get("/").text
    member = app.test_client()
    log_in(member, needs_world["leader"])
    assert 'href="/staff/needs/"' not in member.get("/").text


@pytest.fixture
def varied(app, needs_world) -> dict[str, int]:
    """Reports of different councils, rounds, states and answers."""
    with app.app_context():
        later = add_round(needs_world["survey_id"], "2027-Q1").id
        db.session.commit()
    ids = with_reports(
        app, needs_world,
        ("council_id", ReportStatus.UNDER_REVIEW, 20, {"docs_problem": "yes"}),
        ("other_council_id", ReportStatus.ACKNOWLEDGED, 20, {"households": 12}),
    )
    with app.app_context():
        berlin_later = add_report(later, needs_world["other_council_id"],
                                  ReportStatus.SUBMITTED, answers={"share_abroad": 40.5}).id
        db.session.commit()
    return {"istanbul": ids[0], "berlin": ids[1], "berlin_later": berlin_later,
            "later_round": later}


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["istanbul", "berlin", "berlin_later"]),
    ("country=TR", ["istanbul"]),
    ("country=DE", ["berlin", "berlin_later"]),
    ("status=acknowledged", ["berlin"]),
    ("status=submitted", ["berlin_later"]),
    ("sector=documentation", ["istanbul"]),
    ("objective=4", ["istanbul"]),
    ("objective=1", ["berlin"]),
    ("sector=other", ["berlin", "berlin_later"]),  # households says other; share_abroad none
    ("sector=health", []),
    ("overdue=y", ["istanbul"]),
    ("country=DE&status=submitted", ["berlin_later"]),
])
def test_filters(staff, varied, query, expected):
    assert listed(staff, query) == [varied[name] for name in expected]


def test_filters_by_round_and_council(staff, varied, needs_world):
    assert listed(staff, f"round={varied['later_round']}") == [varied["berlin_later"]]
    assert listed(staff, f"council={needs_world['other_council_id']}") == [
        varied["berlin"], varied["berlin_later"]]


@pytest.mark.parametrize("query", ["status=draft", "round=abc", "council=7", "sector=x",
                                   "objective=24", "country=ZZ"])
def test_a_filter_that_is_no_choice_is_refused_in_the_readers_language(
        app, staff, varied, query):
    for locale in LOCALES:
        page = staff.get(f"/staff/needs/?{query}&lang={locale}")
        assert page.status_code == 200
        with app.test_request_context(), force_locale(locale):
            assert _("Please choose one of the options.") in page.text
        assert "/staff/needs/reports/" not in page.text


def test_overdue_reports_are_marked_with_words(app, staff, needs_world):
    old, recent = with_reports(app, needs_world, ("council_id", ReportStatus.SUBMITTED, 15, {}),
                               ("other_council_id", ReportStatus.UNDER_REVIEW, 13, {}))
    page = staff.get("/staff/needs/").text
    marked = re.findall(r'<tr class="overdue">\s*<td><a href="/staff/needs/reports/(\d+)"', page)
    assert marked == [str(old)] and page.count(">Overdue</strong>") == 1
    assert ">Overdue</strong>" in staff.get(f"/staff/needs/reports/{old}").text
    assert ">Overdue</strong>" not in staff.get(f"/staff/needs/reports/{recent}").text


def test_the_list_pages_by_key_without_javascript(app, staff, needs_world):
    with app.app_context():
        councils = add_councils(60)
        ids = [add_report(needs_world["round_id"], council).id for council in councils]
        db.session.commit()
    first = staff.get("/staff/needs/?country=DE").text
    assert listed(staff, "country=DE") == ids[:50]
    next_link = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "country=DE" in next_link
    second = staff.get(next_link).text
    assert [int(n) for n in re.findall(r'/staff/needs/reports/(\d+)"', second)] == ids[50:]
    assert 'rel="prev"' in second and 'rel="next"' not in second


def load(app, report_id) -> NeedsReport:
    with app.app_context():
        report = db.session.get(NeedsReport, report_id)
        db.session.expunge(report)
        return report


def test_the_report_page_offers_the_next_steps(app, staff, needs_world):
    report_id, = with_reports(app, needs_world,
                              ("council_id", ReportStatus.UNDER_REVIEW, 1, {}))
    page = staff.get(f"/staff/needs/reports/{report_id}").text
    buttons = re.findall(r'<button type="submit"[^>]*name="status" value="(\w+)"', page)
    assert buttons == ["acknowledged", "returned", "in_progress"]
    assert 'name="revision" value="1"' in page
    assert "Iraqi Council of Istanbul" in page and "2026-Q4" in page


@pytest.mark.parametrize("status", [ReportStatus.RETURNED, ReportStatus.RESOLVED])
def test_no_step_is_offered_where_staff_have_none(app, staff, needs_world, status):
    report_id, = with_reports(app, needs_world, ("council_id", status, 1, {}))
    assert 'name="status"' not in staff.get(f"/staff/needs/reports/{report_id}").text


def test_a_step_is_taken_and_shown_on_the_timeline(app, staff, needs_world):
    report_id, = with_reports(app, needs_world, ("council_id", ReportStatus.UNDER_REVIEW, 1, {}))
    response = staff.post(f"/staff/needs/reports/{report_id}", data={
        "status": "returned", "comment": "Please add Izmir.", "revision": "1"})
    assert response.headers["Location"] == f"/staff/needs/reports/{report_id}"
    page = staff.get(response.headers["Location"]).text
    assert "Returned for changes" in page and "Please add Izmir." in page
    assert ("<bdi>Staff</bdi> moved the report from “Under review” to “Returned for changes”."
            in page)
    assert load(app, report_id).status == ReportStatus.RETURNED


def test_a_step_decided_on_an_older_page_is_refused_and_the_page_shows_the_report_now(
        app, staff, needs_world):
    report_id, = with_reports(app, needs_world, ("council_id", ReportStatus.UNDER_REVIEW, 1, {}))
    assert staff.post(f"/staff/needs/reports/{report_id}", data={
        "status": "acknowledged", "revision": "1"}).status_code == 302
    page = staff.post(f"/staff/needs/reports/{report_id}?lang=en", data={
        "status": "returned", "comment": "Add Izmir", "revision": "1"}).text
    assert str(CHANGED_MEANWHILE) in page
    assert ">Add Izmir</textarea>" in page and 'name="revision" value="2"' in page
    assert re.findall(r'name="status" value="(\w+)"', page) == ["in_progress"]
    with app.app_context():
        assert len(db.session.scalars(select(ReviewEvent)).all()) == 1


def test_the_forms_errors_in_every_language(app, staff, needs_world):
    report_id, = with_reports(app, needs_world, ("council_id", ReportStatus.UNDER_REVIEW, 1, {}))
    for locale in LOCALES:
        returned = staff.post(f"/staff/needs/reports/{report_id}?lang={locale}",
                              data={"status": "returned", "comment": " ", "revision": "1"})
        too_long = staff.post(f"/staff/needs/reports/{report_id}?lang={locale}",
                              data={"status": "resolved", "comment": "x" * 2001,
                                    "revision": "1"})
        with app.test_request_context(), force_locale(locale):
            asked = _("Please write in the comment what the council should change.")
            length = str(length_message(0, 2000))
        assert asked in returned.text, locale
        assert length in too_long.text and 'aria-invalid="true"' in too_long.text, locale
        assert "x" * 2001 in too_long.text
    assert load(app, report_id).status == ReportStatus.UNDER_REVIEW

"""The leaders' pages: the open rounds, the survey form and a report's page, who reaches them,
and what the form does with errors, conflicts and expired tokens."""


import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.needs.models import NeedsReport, ReportStatus
from tests.conftest import log_in

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

"""The review's pages cost the same statements with 10 reports and with 200, at most 8, and the
list's common filters read an index rather than every report (SQLite's plans)."""

from datetime import timedelta

import pytest

from portal.database import utcnow
from portal.extensions import db
from portal.needs import review
from portal.needs.models import ReportStatus, ReviewEvent, Sector
from portal.needs.review import ReviewFilters
from tests.conftest import counted_statements, log_in, query_plan
from tests.needs.review_data import add_councils, add_report, add_round

STATES = [ReportStatus.SUBMITTED, ReportStatus.UNDER_REVIEW, ReportStatus.ACKNOWLEDGED,
          ReportStatus.IN_PROGRESS, ReportStatus.RESOLVED]


def grow(app, world, rounds: int, councils: int, start: int) -> int:
    """``rounds`` × ``councils`` more reports, in every state, with answers and a step on
    their timelines; returns the last one's id."""
    with app.app_context():
        council_ids = add_councils(councils, start)
        for n in range(rounds):
            round_id = add_round(world["survey_id"], f"R{start}-{n}").id
            for m, council_id in enumerate(council_ids):
                report = add_report(round_id, council_id, STATES[(n + m) % len(STATES)],
                                    utcnow() - timedelta(days=4 * m),
                                    {"households": m, "docs_problem": "yes"})
                report.events.append(ReviewEvent(to_status=report.status, comment="Seen",
                                                 actor_id=world["ids"]["staff"]))
        db.session.commit()
        return report.id


def statements(app, client, path: str) -> int:
    with app.app_context(), counted_statements() as seen:
        assert client.get(path).status_code == 200, path
    return len(seen)


def test_the_review_pages_do_not_grow_with_the_reports(app, needs_world):
    staff = app.test_client()
    log_in(staff, needs_world["staff"])
    last = grow(app, needs_world, 2, 5, 0)
    paths = ["/staff/needs/", "/staff/needs/?status=submitted", "/staff/needs/?country=DE",
             "/staff/needs/?sector=documentation&objective=4", "/staff/needs/?overdue=y",
             f"/staff/needs/reports/{last}"]
    few = [statements(app, staff, path) for path in paths]
    grow(app, needs_world, 10, 19, 100)  # 10 + 190 reports
    many = [statements(app, staff, path) for path in paths]
    costs = list(zip(paths, few, many, strict=True))
    assert many == few and max(many) <= 8, costs


def page_query(filters: ReviewFilters):
    return review._review_query(filters, utcnow()).order_by(*review.KEY).limit(51)


@pytest.mark.parametrize("filters", [
    ReviewFilters(), ReviewFilters(council_id=1), ReviewFilters(sector=Sector.HEALTH),
    ReviewFilters(objective=4), ReviewFilters(status=ReportStatus.RESOLVED),
    ReviewFilters(round_id=1)])
def test_these_lists_read_in_order_and_stop_after_a_page(sqlite, filters):
    steps = query_plan(page_query(filters))
    assert "TEMP B-TREE" not in steps, steps


@pytest.mark.parametrize(("filters", "index"), [
    (ReviewFilters(status=ReportStatus.SUBMITTED), "ix_needs_reports_status_id"),
    (ReviewFilters(overdue=True), "ix_needs_reports_status_submitted"),
    (ReviewFilters(round_id=1), "ix_needs_reports_round_id_id"),
    (ReviewFilters(country="DE"), "ix_needs_reports_council_id")])
def test_these_lists_read_only_their_matches(sqlite, filters, index):
    """A round's reports, the country's, those in one state: read through an index."""
    steps = query_plan(page_query(filters))
    assert f"USING INDEX {index}" in steps and "SCAN" not in steps, steps

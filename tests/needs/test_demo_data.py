"""The demo's needs data, and the believable answers the demo and the benchmark draw from."""

import random
from collections import Counter

import pytest
from sqlalchemy import func, select

from portal.auth.models import User
from portal.councils.models import Membership
from portal.database import utcnow
from portal.demo import load_demo
from portal.extensions import db
from portal.needs.models import (
    LEADER_TRANSITIONS,
    STAFF_TRANSITIONS,
    NeedsReport,
    NeedsRound,
    ReportStatus,
    Survey,
)
from portal.needs.sample import PATHS, plausible_answers
from tests.needs.survey_checks import answers_obey_the_survey, timeline_follows_the_workflow


def _share(country: str, city: str | None, name: str, values: set[str], draws=400) -> float:
    rng = random.Random(7)
    answers = [plausible_answers(rng, country, city, 10_000, "en") for _ in range(draws)]
    return sum(a[name] in values for a in answers) / draws


def test_answers_differ_by_country_as_the_design_asks():
    # documentation problems highest where no consulate is near
    assert _share("SE", "Östersund", "docs_problem", {"yes"}) > \
        _share("SE", "Stockholm", "docs_problem", {"yes"}) + 0.3
    returning, no_right_to_work = {"half", "most"}, {"few"}
    for hosting in ("TR", "IR"):
        for settled in ("SE", "DE"):
            assert _share(hosting, None, "return_intent", returning) > \
                _share(settled, None, "return_intent", returning) + 0.2
            assert _share(hosting, None, "work_permit", no_right_to_work) > \
                _share(settled, None, "work_permit", no_right_to_work) + 0.3


def test_every_review_path_takes_allowed_steps():
    for name, path in PATHS.items():
        status = ReportStatus.DRAFT
        for step in path:
            assert step in STAFF_TRANSITIONS.get(status, ()) + LEADER_TRANSITIONS.get(status, ()), \
                name
            status = step


@pytest.fixture
def demo(app):
    with app.test_request_context():
        load_demo()
        db.session.commit()


def test_the_demo_has_three_rounds_the_last_one_open(ctx, demo):
    today = utcnow().date()
    rounds = {r.label: r for r in db.session.scalars(select(NeedsRound))}
    assert sorted(rounds) == ["2026-Q2", "2026-Q3", "2026-Q4"]
    assert rounds["2026-Q4"].opens_on <= today <= rounds["2026-Q4"].closes_on
    assert rounds["2026-Q2"].closes_on < rounds["2026-Q3"].opens_on
    assert rounds["2026-Q3"].closes_on < today
    assert len({r.survey_id for r in rounds.values()}) == 1


def test_most_councils_answered_and_staff_reviewed_them(ctx, demo):
    statuses = {label: Counter(status for status, in db.session.execute(
        select(NeedsReport.status).join(NeedsRound).where(NeedsRound.label == label)))
        for label in ("2026-Q2", "2026-Q3", "2026-Q4")}
    for closed in ("2026-Q2", "2026-Q3"):
        assert statuses[closed].total() >= 6 and not statuses[closed][ReportStatus.DRAFT]
    closed = statuses["2026-Q2"] + statuses["2026-Q3"]
    assert closed[ReportStatus.ACKNOWLEDGED] + closed[ReportStatus.RESOLVED] >= 5
    assert closed[ReportStatus.RETURNED] == 1 and closed[ReportStatus.IN_PROGRESS] >= 1
    assert statuses["2026-Q4"][ReportStatus.DRAFT] >= 2
    assert set(statuses["2026-Q4"]) <= {ReportStatus.DRAFT, ReportStatus.SUBMITTED}
    returned = db.session.scalar(select(NeedsReport).where(
        NeedsReport.status == ReportStatus.RETURNED))
    assert returned.reopened_until > utcnow().date()  # the leader can still correct it


def test_the_demo_timelines_follow_the_workflow(ctx, demo):
    leaders = {m.council_id: {m.user_id} for m in db.session.scalars(
        select(Membership).where(Membership.role == "leader"))}
    staff = set(db.session.scalars(select(User.id).where(User.role == "staff")))
    reports = db.session.scalars(select(NeedsReport)).all()
    for report in reports:
        timeline_follows_the_workflow(report, leaders[report.council_id], staff, utcnow())
    resubmitted = [r for r in reports if [e.to_status for e in r.events].count("submitted") > 1]
    assert resubmitted and resubmitted[0].events[2].comment  # why it was returned


def test_the_demo_answers_obey_the_survey(ctx, demo):
    survey_id = db.session.scalar(select(Survey.id))
    assert answers_obey_the_survey(survey_id) == db.session.scalar(
        select(func.count(NeedsReport.id)))


def test_loading_the_demo_again_adds_no_survey(ctx, demo):
    assert load_demo() is None
    assert db.session.scalar(select(func.count(Survey.id))) == 1

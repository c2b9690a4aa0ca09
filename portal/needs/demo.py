"""The needs part of `flask demo load`: the standard survey, two closed quarterly rounds answered
by most demo councils and reviewed into several states, and the open round with a few drafts.
"""

import random
from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.councils.models import Council, Membership, MembershipRole, MembershipStatus
from portal.database import utcnow
from portal.extensions import db
from portal.needs.models import Answer, NeedsReport, NeedsRound, ReviewEvent, RoundScope
from portal.needs.sample import plausible_answers, quarter_rounds, sample_report
from portal.needs.standard import build_standard_survey
from portal.needs.tallies import retally_everything

SEED = 2026
ROUNDS = ["2026-Q2", "2026-Q3", "2026-Q4"]  # the last is open today
# Each demo council (by slug): its city in English (where Iraqi missions are looked up), about
# how many Iraqis live in its area, and the path its report took in each round (sample.PATHS;
# None: the council did not answer).
REPORTS = {
    "tr-istanbul": ("Istanbul", 45_000, ("resolved", "in_progress", "draft")),
    "tr-ankara": ("Ankara", 9_000, ("resubmitted", "returned", None)),
    "ir-tehran": ("Tehran", 18_000, ("resolved", "acknowledged", "draft")),
    "ir-qom": ("Qom", 12_000, ("in_progress", "under_review", None)),
    "de-berlin": ("Berlin", 14_000, ("acknowledged", "submitted", "draft")),
    "se-stockholm": ("Stockholm", 26_000, ("resolved", "acknowledged", "submitted")),
    "nl-iraqi-community-council-of-the-netherlands": (None, 50_000, ("acknowledged", None, None)),
    "gb-iraqi-community-council-in-the-united-kingdom": (None, 70_000, (None, "submitted", None)),
}
REOPENED_DAYS = 14  # a report returned in a closed round: reopened for its council this long


def load_needs_demo(councils: list[Council], staff: User) -> None:
    """Add the survey, its rounds and the councils' reports (``staff`` reviewed them)."""
    survey = build_standard_survey(created_by=staff)
    rng = random.Random(SEED)  # noqa: S311  (reproducible demo data, not a secret)
    now = utcnow()
    leaders = _leaders(councils)
    rounds = [NeedsRound(survey=survey, label=label, scope=RoundScope.ALL, opens_on=opens,
                         closes_on=closes, created_by_id=staff.id, created_at=now)
              for label, opens, closes in quarter_rounds(ROUNDS, now.date())]
    db.session.add_all(rounds)
    for council in councils:
        city, people, paths = REPORTS[council.slug]
        for needs_round, path in zip(rounds, paths, strict=True):
            if path is not None:
                answers = plausible_answers(rng, council.country, city, people,
                                            council.default_locale)
                db.session.add(_report(rng, needs_round, council, path, answers,
                                       leaders.get(council.id), staff))
    db.session.flush()
    retally_everything()


def _leaders(councils: list[Council]) -> dict[int, User]:
    memberships = db.session.scalars(select(Membership).where(
        Membership.council_id.in_([council.id for council in councils]),
        Membership.role == MembershipRole.LEADER,
        Membership.status == MembershipStatus.APPROVED))
    return {membership.council_id: membership.user for membership in memberships}


def _report(rng, needs_round, council, path, answers, leader, staff) -> NeedsReport:
    now = utcnow()
    sample = sample_report(rng, needs_round.survey.questions, path, answers, needs_round.opens_on,
                           needs_round.closes_on, now, council.default_locale)
    actors = [leader if step.by_leader else staff for step in sample.steps]
    report = NeedsReport(
        round=needs_round, council=council, status=sample.status, revision=sample.revision,
        submitted_at=sample.submitted_at, created_at=sample.created_at,
        updated_at=sample.updated_at, updated_by_id=(actors[-1] if actors else leader).id,
        answers=[Answer(**row) for row in sample.answers],
        events=[ReviewEvent(from_status=step.from_status, to_status=step.to_status,
                            actor=actor, comment=step.comment, created_at=step.at)
                for step, actor in zip(sample.steps, actors, strict=True)])
    if path == "returned" and needs_round.closes_on < now.date():
        report.reopened_until = now.date() + timedelta(days=REOPENED_DAYS)
    return report

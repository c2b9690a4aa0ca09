"""The standard survey published as a round to the `world`'s councils, and reports in the
states the review pages show, for the browser tests of the needs pages. Reports are made through
the leaders' and the staff's own services, so they hold what the forms would have stored."""

from sqlalchemy import select

from portal.auth.models import User
from portal.councils.models import Council
from portal.extensions import db
from portal.needs import reports, review, rounds
from portal.needs.models import NeedsReport, NeedsRound, ReportStatus
from portal.needs.standard import build_standard_survey

# What a leader in Istanbul sends: every question answered, as the form posts it.
ISTANBUL = {
    "households": ["1200"], "members_est": ["5400"], "docs_problem": ["yes"],
    "docs_kinds": ["passport", "civil_records"], "docs_people": ["350"],
    "consular_distance": ["same_city"], "return_intent": ["few"],
    "return_barriers": ["housing", "jobs", "safety"], "children_school": ["85"],
    "certificates": ["yes"], "health_access": ["some_cannot"], "psychosocial": ["yes"],
    "work_permit": ["few"], "remittance_cost": ["costly"], "housing": ["overcrowded"],
    "legal_aid": ["60"], "info_channel": ["groups", "meetings"], "top_need": ["documentation"],
    "skills_offer": ["ئەندازیاری شارستانی و کارەباچی بۆ دووبارە بنیاتنانەوەی قوتابخانەکان"],
    "notes": ["Many families wait over a year for a civil status record; a mobile consular "
              "day in the city would help."],
}
BERLIN = {"households": ["300"], "docs_problem": ["no"], "return_intent": ["none"],
          "top_need": ["livelihoods"]}
RETURN_COMMENT = "تکایە ژمارەی ئەو منداڵانەی بێ قوتابخانەن دووبارە بپشکنە."


def publish_standard(world: dict) -> NeedsRound:
    """The standard survey (by the world's staff member) as round 2026-Q4 to every council,
    open from today for 30 days."""
    staff = db.session.get(User, world["ids"]["staff"])
    return rounds.publish(build_standard_survey(staff), "2026-Q4", actor=staff)


def submit(needs_round: NeedsRound, slug: str, leader_id: int, sent: dict) -> NeedsReport:
    council = db.session.scalar(select(Council).where(Council.slug == slug))
    return reports.save_answers(needs_round, council, None, sent, "en", 0,
                                db.session.get(User, leader_id), submit=True)


def reports_in_review(world: dict, locale: str) -> dict:
    """Istanbul's report returned with a comment and Berlin's submitted, its leader and the
    staff member reading ``locale`` (also the pages a form posts back); returns the ids of the
    round, its survey and the reports."""
    staff = db.session.get(User, world["ids"]["staff"])
    staff.locale = db.session.get(User, world["ids"]["leader"]).locale = locale
    needs_round = publish_standard(world)
    returned = submit(needs_round, world["council"], world["ids"]["leader"], ISTANBUL)
    review.move_report(returned, ReportStatus.UNDER_REVIEW, staff, "", returned.revision)
    review.move_report(returned, ReportStatus.RETURNED, staff, RETURN_COMMENT, returned.revision)
    submitted = submit(needs_round, world["other_council"], world["ids"]["other_leader"], BERLIN)
    db.session.commit()
    return {"round": needs_round.id, "survey": needs_round.survey_id, "returned": returned.id,
            "submitted": submitted.id}

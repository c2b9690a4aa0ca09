"""The ministry's review of needs reports: the steps staff may take and those they may not,
what each step records and whom it tells, and two staff deciding at the same moment."""

import threading
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.auth.models import User
from portal.config import from_environment
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.mail import OutboxMessage
from portal.needs import review
from portal.needs.labels import REPORT_STATUS
from portal.needs.models import STAFF_TRANSITIONS, NeedsReport, ReportStatus, ReviewEvent
from tests.needs.review_data import add_leader, add_report

ALLOWED = [(before, after) for before, afters in STAFF_TRANSITIONS.items() for after in afters]
REFUSED = [(before, after) for before in ReportStatus for after in ReportStatus
           if (before, after) not in ALLOWED]


def test_the_workflow_is_exactly_the_issues():
    assert set(ALLOWED) == {
        ("submitted", "under_review"), ("under_review", "acknowledged"),
        ("under_review", "returned"), ("under_review", "in_progress"),
        ("acknowledged", "in_progress"), ("in_progress", "resolved")}


@pytest.fixture
def staff(ctx, needs_world) -> User:
    return db.session.get(User, needs_world["ids"]["staff"])


def report_in(world, status) -> NeedsReport:
    report = add_report(world["round_id"], world["council_id"], status)
    db.session.commit()
    return report


def review_audit() -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent)
                                   .where(AuditEvent.action.startswith("needs_report."))))


def counts() -> tuple[int, int, int]:
    """Timeline steps, mails and audit events of the review."""
    return (*(db.session.scalar(select(func.count()).select_from(model))
              for model in (ReviewEvent, OutboxMessage)), len(review_audit()))


@pytest.mark.parametrize(("before", "after"), ALLOWED)
def test_each_allowed_step(staff, needs_world, before, after):
    report = report_in(needs_world, before)
    revision = report.revision
    event = review.move_report(report, after, staff, "  Thank you.  ", revision)
    db.session.commit()
    db.session.expire_all()
    report = db.session.get(NeedsReport, report.id)
    assert (report.status, report.revision) == (after, revision + 1)
    assert [(e.from_status, e.to_status, e.actor_id, e.comment) for e in report.events] == [
        (before, after, staff.id, "Thank you.")]
    assert event.created_at is not None
    [audit] = review_audit()
    assert (audit.action, audit.subject_type, audit.subject_id, audit.actor_id) == (
        f"needs_report.{after}", "NeedsReport", report.id, staff.id)
    assert audit.details == {"from_status": before, "comment": "Thank you."}
    leader = needs_world["leader"]
    assert [m.recipient for m in db.session.scalars(select(OutboxMessage))] == [leader]


@pytest.mark.parametrize(("before", "after"), REFUSED)
def test_each_refused_step_changes_nothing(staff, needs_world, before, after):
    report = report_in(needs_world, before)
    with force_locale("en"), pytest.raises(DomainError, match="cannot become"):
        review.move_report(report, after, staff, "A comment", report.revision)
    db.session.rollback()
    assert (db.session.get(NeedsReport, report.id).status, counts()) == (before, (0, 0, 0))


@pytest.mark.parametrize("comment", ["", "  \n "])
def test_returning_needs_a_comment(staff, needs_world, comment):
    report = report_in(needs_world, ReportStatus.UNDER_REVIEW)
    with force_locale("en"), pytest.raises(DomainError, match="what the council should change"):
        review.move_report(report, ReportStatus.RETURNED, staff, comment, report.revision)
    db.session.rollback()
    assert counts() == (0, 0, 0)


def test_a_decision_on_an_older_revision_is_refused(staff, needs_world):
    report = report_in(needs_world, ReportStatus.SUBMITTED)
    with force_locale("en"), pytest.raises(DomainError, match="Someone else changed this"):
        review.move_report(report, ReportStatus.UNDER_REVIEW, staff, "", report.revision - 1)


def test_leaders_are_told_in_their_own_language(app, staff, needs_world, mailbox, deliver):
    add_leader(needs_world["council_id"], "layla@example.org", "ar")
    report = report_in(needs_world, ReportStatus.UNDER_REVIEW)
    review.move_report(report, ReportStatus.RETURNED, staff, "Please add the number of "
                       "families in Izmir.", report.revision)
    db.session.commit()
    assert deliver() == 2
    for address, locale in ((needs_world["leader"], "en"), ("layla@example.org", "ar")):
        [mail] = mailbox.to(address)
        with app.test_request_context(), force_locale(locale):
            status = str(REPORT_STATUS[ReportStatus.RETURNED])
        assert mail["Content-Language"] == locale
        # The label isolated: a right-to-left subject would show it as Q4-2026.
        assert status in mail["Subject"] and "\u20682026-Q4\u2069" in mail["Subject"]
        body = mail.get_content()
        assert status in body and "Please add the number of families in Izmir." in body
        assert mailbox.last_link(address) == f"http://localhost/needs/reports/{report.id}"
    assert "Returned for changes" not in mailbox.to("layla@example.org")[0]["Subject"]


def test_a_leader_whose_account_is_gone_is_not_mailed(staff, needs_world):
    leader = db.session.scalar(select(User).where(User.email == needs_world["leader"]))
    leader.deleted_at = utcnow()
    report = report_in(needs_world, ReportStatus.SUBMITTED)
    review.move_report(report, ReportStatus.UNDER_REVIEW, staff, "", report.revision)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


@pytest.mark.parametrize(("status", "age", "overdue"), [
    (ReportStatus.SUBMITTED, 15, True), (ReportStatus.UNDER_REVIEW, 15, True),
    (ReportStatus.SUBMITTED, 13, False), (ReportStatus.ACKNOWLEDGED, 30, False),
    (ReportStatus.RETURNED, 30, False), (ReportStatus.RESOLVED, 30, False)])
def test_overdue_means_no_decision_within_the_review_days(ctx, status, age, overdue):
    report = NeedsReport(status=status, submitted_at=utcnow() - timedelta(days=age))
    assert review.is_overdue(report, review.overdue_cutoff()) is overdue


def test_the_review_days_come_from_the_configuration(app, ctx, monkeypatch):
    now = utcnow()
    monkeypatch.setitem(app.config, "NEEDS_REVIEW_DAYS", 3)
    assert review.overdue_cutoff(now) == now - timedelta(days=3)


def test_the_review_days_are_read_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("NEEDS_REVIEW_DAYS", raising=False)
    assert from_environment(str(tmp_path))["NEEDS_REVIEW_DAYS"] == 14
    monkeypatch.setenv("NEEDS_REVIEW_DAYS", "7")
    assert from_environment(str(tmp_path))["NEEDS_REVIEW_DAYS"] == 7


def test_two_staff_deciding_at_once_take_one_step(app, needs_world):
    """Both read the report at the same revision, then both decide: one step is taken, the
    other is refused with a clear message, and the leaders get one mail."""
    with app.app_context():
        report_id = report_in(needs_world, ReportStatus.UNDER_REVIEW).id
    both_read = threading.Barrier(2)
    outcomes = [None, None]

    def decide(n: int, status: ReportStatus) -> None:
        with app.test_request_context(), force_locale("en"):
            try:
                staff = db.session.get(User, needs_world["ids"]["staff"])
                report = db.session.get(NeedsReport, report_id)
                revision = report.revision
                report.council, report.round  # noqa: B018  (loaded before the race)
                both_read.wait(timeout=10)
                review.move_report(report, status, staff, "Decided", revision)
                db.session.commit()
                outcomes[n] = ("moved", status)
            except DomainError as error:
                db.session.rollback()
                outcomes[n] = ("refused", str(error.message))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=decide, args=(0, ReportStatus.ACKNOWLEDGED)),
               threading.Thread(target=decide, args=(1, ReportStatus.IN_PROGRESS))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    moved = [value for outcome, value in outcomes if outcome == "moved"]
    refused = [value for outcome, value in outcomes if outcome == "refused"]
    assert len(moved) == 1 and len(refused) == 1, outcomes
    assert "Someone else changed this report" in refused[0]
    with app.app_context():
        report = db.session.get(NeedsReport, report_id)
        assert (report.status, report.revision) == (moved[0], 2)
        assert [e.to_status for e in report.events] == moved
        assert counts() == (1, 1, 1)

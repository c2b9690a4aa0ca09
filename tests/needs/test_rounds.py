"""Rounds: publishing (service, command and staff pages), which councils a round reaches, Baghdad
days, reopening for one council, and the reminders mailed before a round closes."""

from datetime import UTC, date, datetime, timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.auth.services import find_by_email
from portal.councils.models import CouncilStatus
from portal.councils.services import add_member, create_council, find_council
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.needs import rounds
from portal.needs.models import NeedsReport, NeedsRound, ReportStatus, RoundScope, Survey
from tests.conftest import counted_statements, log_in


@pytest.fixture
def survey(app, needs_world):
    """The small survey, inside a request, with the world's councils A (TR) and B (DE)."""
    with app.test_request_context(), force_locale("en"):
        yield db.session.get(Survey, needs_world["survey_id"])
        db.session.rollback()


def councils(world):
    return find_council(world["council"]), find_council(world["other_council"])


def test_a_round_reaches_all_councils_countries_or_chosen_ones(survey, needs_world):
    a, b = councils(needs_world)
    everyone = rounds.publish(survey, "all")
    turkey = rounds.publish(survey, " tr  only ", countries=["tr"])
    chosen = rounds.publish(survey, "chosen", councils=[b])
    assert [r.scope for r in (everyone, turkey, chosen)] == [
        RoundScope.ALL, RoundScope.COUNTRIES, RoundScope.COUNCILS]
    assert turkey.label == "tr only" and turkey.countries == ["TR"]
    reach = {r.label: [rounds.reaches(r, c) for c in (a, b)] for r in (everyone, turkey, chosen)}
    assert reach == {"all": [True, True], "tr only": [True, False], "chosen": [False, True]}
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.subject_id == turkey.id, AuditEvent.action == "needs.round_published"))
    assert event.details["countries"] == ["TR"] and event.details["scope"] == "countries"


def test_a_country_round_reaches_a_council_created_there_while_it_is_open(survey, needs_world):
    turkey = rounds.publish(survey, "tr", countries=["TR"])
    izmir = create_council("Iraqi Council of Izmir", "TR", "Izmir")
    proposed = create_council("Proposed", "TR", "Bursa", status=CouncilStatus.PROPOSED)
    assert rounds.reaches(turkey, izmir) and not rounds.reaches(turkey, proposed)
    a, _ = councils(needs_world)
    a.status = CouncilStatus.SUSPENDED  # still reached: its leaders see the round
    assert rounds.reaches(turkey, a)


def test_default_days_are_today_in_baghdad_and_thirty_more(survey):
    needs_round = rounds.publish(survey, "defaults")
    assert needs_round.opens_on == rounds.baghdad_today()
    assert needs_round.closes_on == needs_round.opens_on + timedelta(days=rounds.ROUND_DAYS)


@pytest.mark.parametrize(("arguments", "message"), [
    ({"label": ""}, "label of at most 40"),
    ({"label": "x" * 41}, "label of at most 40"),
    ({"label": "2026-Q4"}, "already has a round"),
    ({"countries": ["TR"], "both": True}, "not both"),
    ({"countries": ["XX"]}, "not a country code"),
    ({"countries": ["IQ"]}, "not a country code"),
    ({"opens_on": date(2030, 2, 1), "closes_on": date(2030, 1, 31)}, "close before it opens"),
    ({"opens_on": date(2020, 1, 1), "closes_on": date(2020, 1, 31)}, "already passed"),
])
def test_a_round_that_cannot_be_published(survey, needs_world, arguments, message):
    arguments = {"label": "new"} | arguments
    if arguments.pop("both", False):
        arguments["councils"] = [councils(needs_world)[0]]
    with pytest.raises(DomainError, match=message):
        rounds.publish(survey, **arguments)


def test_a_survey_with_problems_is_not_published(survey):
    survey.questions[0].label = {}
    with pytest.raises(DomainError, match="cannot be published"):
        rounds.publish(survey, "broken")


def test_days_end_at_midnight_in_baghdad(survey):
    needs_round = rounds.publish(survey, "days", opens_on=date(2026, 12, 1),
                                 closes_on=date(2026, 12, 10))
    assert rounds.closes_at(needs_round) == datetime(2026, 12, 10, 21, 0, tzinfo=UTC)
    assert rounds.baghdad_today(datetime(2026, 12, 10, 20, 59, tzinfo=UTC)) == date(2026, 12, 10)
    assert rounds.baghdad_today(datetime(2026, 12, 10, 21, 0, tzinfo=UTC)) == date(2026, 12, 11)
    opened = [rounds.open_for(needs_round, None, day) for day in
              (date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 10), date(2026, 12, 11))]
    assert opened == [False, True, True, False]


def test_reopening_for_one_council(survey, needs_world):
    a, b = councils(needs_world)
    needs_round = db.session.get(NeedsRound, needs_world["round_id"])
    needs_round.opens_on, needs_round.closes_on = date(2026, 1, 1), date(2026, 1, 31)
    assert not rounds.is_open(needs_round, a)
    until = rounds.baghdad_today() + timedelta(days=3)
    report = rounds.reopen(needs_round, a, until, find_by_email(needs_world["staff"]))
    assert (report.status, report.reopened_until) == (ReportStatus.DRAFT, until)
    assert rounds.is_open(needs_round, a) and not rounds.is_open(needs_round, b)
    assert not rounds.is_open(needs_round, a, until + timedelta(days=1))
    assert db.session.scalar(select(AuditEvent.details).where(
        AuditEvent.action == "needs.round_reopened")) == {
        "round_id": needs_round.id, "council": a.slug, "until": until.isoformat()}
    with pytest.raises(DomainError, match="from today on"):
        rounds.reopen(needs_round, a, rounds.baghdad_today() - timedelta(days=1))


def test_a_round_is_not_reopened_for_a_council_it_does_not_reach(survey, needs_world):
    _, b = councils(needs_world)
    turkey = rounds.publish(survey, "tr", countries=["TR"])
    with pytest.raises(DomainError, match="does not reach"):
        rounds.reopen(turkey, b, rounds.baghdad_today())


def closing_round(app, world, days_left: int) -> int:
    with app.test_request_context():
        needs_round = db.session.get(NeedsRound, world["round_id"])
        needs_round.closes_on = rounds.baghdad_today() + timedelta(days=days_left)
        db.session.commit()
        return needs_round.id


def work_once(app) -> str:
    result = app.test_cli_runner().invoke(args=["outbox", "work", "--once"])
    assert result.exit_code == 0, result.output
    return result.output


def test_leaders_who_have_not_submitted_are_reminded_once_in_their_language(
        app, needs_world, mailbox):
    with app.test_request_context():
        leader = find_by_email(needs_world["leader"])
        leader.locale = "ar"
        second = create_council("Iraqi Council of Ankara", "TR", "Ankara")
        add_member(second, leader, leader=True)  # leads two councils: a mail for each
        submitted = NeedsReport(round_id=needs_world["round_id"],
                                council_id=needs_world["other_council_id"],
                                status=ReportStatus.SUBMITTED)
        suspended = create_council("Suspended", "TR", "Bursa", status=CouncilStatus.SUSPENDED)
        add_member(suspended, find_by_email(needs_world["outsider"]), leader=True)
        db.session.add(submitted)
        db.session.commit()
    closing_round(app, needs_world, days_left=3)
    assert "0 sent" in work_once(app)  # four days before the end: too early
    closing_round(app, needs_world, days_left=2)
    assert "2 sent" in work_once(app)
    mails = mailbox.to(needs_world["leader"])
    assert len(mails) == 2 and not mailbox.to(needs_world["other_leader"])
    assert not mailbox.to(needs_world["outsider"])
    assert {mail["Content-Language"] for mail in mails} == {"ar"}
    assert all(mail["Subject"].startswith("تذكير") and "2026-Q4" in mail["Subject"]
               for mail in mails)
    assert f"/needs/rounds/{needs_world['round_id']}/councils/" in mails[0].get_content()
    assert "0 sent" in work_once(app)  # once per round
    with app.app_context():
        assert db.session.get(NeedsRound, needs_world["round_id"]).reminded_at is not None


def test_a_draft_does_not_count_as_submitted_and_a_closed_round_reminds_nobody(
        app, needs_world, mailbox):
    with app.app_context():
        db.session.add(NeedsReport(round_id=needs_world["round_id"],
                                   council_id=needs_world["council_id"]))
        db.session.commit()
    closing_round(app, needs_world, days_left=-1)
    assert "0 sent" in work_once(app)
    closing_round(app, needs_world, days_left=0)
    assert "2 sent" in work_once(app)  # both councils' leaders: one draft, one nothing


def test_a_failing_outbox_job_does_not_stop_delivery(app, needs_world, mailbox, monkeypatch):
    def broken():
        raise RuntimeError("boom")

    closing_round(app, needs_world, days_left=1)
    monkeypatch.setitem(app.extensions, "outbox_jobs", (broken, rounds.send_reminders))
    assert "2 sent" in work_once(app)


def test_the_publish_command(app, needs_world):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["surveys", "publish", str(needs_world["survey_id"]),
                                 "--round", "2027-Q1", "--country", "tr", "--country", "DE",
                                 "--opens", "2030-01-01", "--closes", "2030-03-31"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        needs_round = db.session.get(NeedsRound, int(result.output.strip()))
        assert needs_round.countries == ["DE", "TR"]
        assert (needs_round.opens_on, needs_round.closes_on) == (date(2030, 1, 1),
                                                                 date(2030, 3, 31))
    chosen = runner.invoke(args=["surveys", "publish", str(needs_world["survey_id"]),
                                 "--round", "chosen", "--council", needs_world["council"]])
    assert chosen.exit_code == 0, chosen.output
    for arguments, message in [
            (["surveys", "publish", "999", "--round", "x"], "no survey 999"),
            (["surveys", "publish", str(needs_world["survey_id"]), "--round", "x",
              "--council", "nowhere"], "no council 'nowhere'"),
            (["surveys", "publish", str(needs_world["survey_id"]), "--round", "2027-Q1"],
             "already has a round")]:
        refused = runner.invoke(args=arguments)
        assert refused.exit_code == 1 and message in refused.output, refused.output


def test_staff_publish_from_the_survey_and_follow_the_round(app, needs_world):
    staff = app.test_client()
    log_in(staff, needs_world["staff"])
    url = f"/staff/surveys/{needs_world['survey_id']}/rounds/new"
    page = staff.get(url).get_data(as_text=True)
    assert 'name="countries" type="checkbox" value="TR"' in page
    refused = staff.post(url, data={"label": "2026-Q4", "scope": "all",
                                    "opens_on": "2030-01-01", "closes_on": "2030-01-31"})
    assert refused.status_code == 200 and "already has a round" in refused.get_data(as_text=True)
    published = staff.post(url, data={"label": "Germany", "scope": "councils",
                                      "councils": f"{needs_world['other_council']}, ",
                                      "countries": ["TR"], "opens_on": "2030-01-01",
                                      "closes_on": "2030-01-31"})
    assert published.status_code == 302
    round_page = staff.get(published.headers["Location"]).get_data(as_text=True)
    assert "Iraqi Council of Berlin" in round_page and "Istanbul" not in round_page
    with app.app_context():
        needs_round = db.session.scalar(select(NeedsRound).where(NeedsRound.label == "Germany"))
        assert needs_round.scope == RoundScope.COUNCILS and needs_round.country_rows == []
    days = {"label": "x", "opens_on": "2030-01-01", "closes_on": "2030-01-31"}
    for chosen, message in [({"scope": "councils", "councils": "nowhere"}, "There is no council"),
                            ({"scope": "councils", "councils": " , "}, "at least one council"),
                            ({"scope": "countries"}, "at least one country")]:
        refused = staff.post(url, data=days | chosen)
        assert message in refused.get_data(as_text=True), chosen
    with app.app_context():
        assert db.session.scalar(select(NeedsRound).where(NeedsRound.label == "x")) is None


def test_staff_reopen_a_closed_round_for_one_council(app, needs_world):
    staff = app.test_client()
    log_in(staff, needs_world["staff"])
    with app.app_context():
        needs_round = db.session.get(NeedsRound, needs_world["round_id"])
        needs_round.opens_on, needs_round.closes_on = date(2026, 1, 1), date(2026, 1, 31)
        db.session.commit()
    url = f"/staff/rounds/{needs_world['round_id']}/reopen"
    until = (utcnow() + timedelta(days=5)).date().isoformat()
    done = staff.post(url, data={"council": needs_world["council"], "until": until})
    page = staff.get(done.headers["Location"]).get_data(as_text=True)
    assert "The round is reopened for this council." in page and "Reopened until" in page
    refused = staff.post(url, data={"council": needs_world["council"], "until": "2020-01-01"})
    assert "from today on" in staff.get(refused.headers["Location"]).get_data(as_text=True)
    missing = staff.post(url, data={"until": until}, follow_redirects=True)
    assert "Please fill in this field." in missing.get_data(as_text=True)


def test_the_round_page_costs_the_same_with_many_councils(app, needs_world):
    staff = app.test_client()
    log_in(staff, needs_world["staff"])
    path = f"/staff/rounds/{needs_world['round_id']}"

    def cost() -> int:
        with app.app_context(), counted_statements() as seen:
            assert staff.get(path).status_code == 200
        return len(seen)

    few = cost()
    with app.test_request_context():
        for n in range(60):  # more than a page
            council = create_council(f"Council {n}", "SE", f"Town {n}")
            db.session.add(NeedsReport(round_id=needs_world["round_id"], council=council))
        db.session.commit()
    many = cost()
    assert many == few and many <= 8

"""A council leader whose language is Sorani fills the quarter's needs survey on a 360 px phone:
a wrong answer comes back with its message and everything typed, a draft is saved, left and
resumed, and the report submitted; a ministry officer (two-factor authentication done) takes it
under review and returns it with a comment; the leader, mailed a link, reads the comment,
corrects an answer and submits again, and the officer sees it back. Each page on the way: no
sideways scrolling, 44 px targets, no WCAG 2.1 A/AA violation that axe-core finds."""

import re

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect

from portal.auth.models import User
from portal.extensions import db
from portal.i18n import format_number
from portal.needs.labels import REPORT_STATUS
from portal.needs.models import ReportStatus
from portal.needs.standard import QUESTIONS
from tests.browser.needs_data import publish_standard
from tests.browser.test_layout import check, phone, sign_in  # noqa: F401

pytestmark = pytest.mark.browser

COMMENT = "تکایە ژمارەی خێزانەکان دووبارە بپشکنە: بەپێی تۆمارەکانی ئێمە ١٣٠ خێزانن."
NOTES = "زۆربەی خێزانەکان چاوەڕێی بەڵگەنامەی باری شارستانین.\nسوپاس."


@pytest.fixture
def journey(app, world, live_url):
    """The standard survey open to every council; the leader reads Sorani, the officer Arabic;
    mailed links lead to the live portal."""
    with app.test_request_context():
        db.session.get(User, world["ids"]["leader"]).locale = "ckb"
        db.session.get(User, world["ids"]["staff"]).locale = "ar"
        round_id = publish_standard(world).id
        db.session.commit()
    app.config["PORTAL_BASE_URL"] = live_url
    yield world | {"round_id": round_id}
    app.config["PORTAL_BASE_URL"] = "http://localhost"


class Journey:
    """What the journey carries along: texts in a reader's language, and the problems of each
    page reached (asserted together at the end, so that one run lists them all)."""

    def __init__(self, app, world: dict):
        self.app, self.world, self.found = app, world, {}

    def text(self, locale: str, message, **numbers) -> str:
        """A message (a msgid, or a lazy string) as a reader of ``locale`` sees it."""
        with self.app.test_request_context(), force_locale(locale):
            if not isinstance(message, str):
                return str(message)
            return gettext(message, **{k: format_number(v) for k, v in numbers.items()})

    def number(self, locale: str, value: int) -> str:
        with self.app.test_request_context(), force_locale(locale):
            return format_number(value)

    def check(self, tab, step: str) -> None:
        check(self.found, tab, step)


def test_a_report_in_sorani_returned_corrected_and_resubmitted(
        app, journey, phone, deliver, mailbox):  # noqa: F811 (the fixture imported above)
    trip = Journey(app, journey)
    leader, officer = phone("ckb"), phone("ar")
    sign_in(app, leader, journey["leader"])
    sign_in(app, officer, journey["staff"])
    report_url = leader_submits(leader, trip)
    officer_returns(officer, trip)
    deliver()
    leader.goto(mailbox.last_link(journey["leader"]))
    expect(leader).to_have_url(report_url)
    leader_corrects(leader, trip)

    officer.reload()
    expect(officer.locator("dl")).to_contain_text(
        trip.text("ar", REPORT_STATUS[ReportStatus.SUBMITTED]))
    expect(officer.locator("table.answers")).to_contain_text(trip.number("ar", 130))
    trip.check(officer, "staff: the report submitted again")
    assert not trip.found, "\n".join(f"{step}: {issues}" for step, issues in trip.found.items())


def leader_submits(leader, trip: Journey) -> str:
    """From the open rounds to a submitted report, through a refused answer and a draft left
    and resumed; returns the report's address."""
    ckb = lambda message: trip.text("ckb", message)  # noqa: E731
    leader.goto("/needs/")
    expect(leader.locator("html")).to_have_attribute("lang", "ckb")
    trip.check(leader, "leader: open rounds")
    start = leader.get_by_role("link", name=ckb("Fill in the survey"))
    assert 0 <= start.bounding_box()["x"] < 360 - 44  # on the screen, not in a scrolled table
    start.click()
    expect(leader).to_have_url(re.compile(
        f"/needs/rounds/{trip.world['round_id']}/councils/{trip.world['council']}$"))
    trip.check(leader, "leader: the empty form")

    # A negative number of households is refused in Sorani; all that was typed comes back.
    typed = {"#q-households": "-12", "#q-members_est": "٥٤٠",  # Sorani digits
             "#q-docs_people": "٧",  # asked only when documents are a problem
             "#q-notes": NOTES}
    for field, value in typed.items():
        leader.locator(field).fill(value)
    for choice in ("#q-docs_problem-no", "#q-return_intent-few", "#q-return_barriers-jobs"):
        leader.locator(choice).check()
    leader.get_by_role("button", name=ckb("Save draft")).click()
    at_least_zero = trip.text("ckb", "Please enter a number of at least %(min)s.", min=0)
    expect(leader.locator("#q-households-error")).to_have_text(at_least_zero)
    expect(leader.locator(".error-summary")).to_contain_text(at_least_zero)
    for field, value in typed.items():
        expect(leader.locator(field)).to_have_value(value)
    for choice in ("#q-docs_problem-no", "#q-return_intent-few", "#q-return_barriers-jobs"):
        expect(leader.locator(choice)).to_be_checked()
    trip.check(leader, "leader: the form with an error")

    leader.locator("#q-households").fill("١٢٠")
    leader.get_by_role("button", name=ckb("Save draft")).click()
    expect(leader.get_by_role("main")).to_contain_text(
        ckb("Your draft is saved. You can come back to it until the round closes."))
    # Documents are no problem: the number of people who need them was not kept.
    expect(leader.locator("#q-docs_people")).to_have_value("")
    trip.check(leader, "leader: the draft saved")

    # Away and back: the draft's page holds the answers, in Sorani digits, and not the two
    # questions about documents; its form has them all again.
    leader.goto("/needs/")
    leader.get_by_role("region", name=ckb("Your councils' reports")).get_by_role("link").click()
    answers = leader.locator("table.answers")
    expect(answers).to_contain_text("١٢٠")
    expect(answers).to_contain_text("٥٤٠")
    expect(answers.locator("th[scope=row]")).to_have_count(len(QUESTIONS) - 2)
    trip.check(leader, "leader: the draft's page")
    leader.get_by_role("link", name=ckb("Continue")).click()
    expect(leader.locator("#q-households")).to_have_value("١٢٠")
    expect(leader.locator("#q-notes")).to_have_value(NOTES)

    for choice in ("#q-docs_problem-yes", "#q-docs_kinds-passport", "#q-top_need-documentation"):
        leader.locator(choice).check()
    leader.locator("#q-docs_people").fill("٣٥")
    leader.get_by_role("button", name=ckb("Submit to the ministry")).click()
    expect(leader).to_have_url(re.compile(r"/needs/reports/\d+$"))
    expect(leader.locator("dl")).to_contain_text(ckb(REPORT_STATUS[ReportStatus.SUBMITTED]))
    expect(leader.locator("table.answers th[scope=row]")).to_have_count(len(QUESTIONS))
    trip.check(leader, "leader: the submitted report")
    return leader.url


def officer_returns(officer, trip: Journey) -> None:
    """The officer finds the report, takes it under review and returns it with a comment."""
    ar = lambda message: trip.text("ar", message)  # noqa: E731
    officer.goto("/staff/needs/")
    trip.check(officer, "staff: the reports")
    officer.get_by_role("link", name="Iraqi Council of Istanbul").click()
    expect(officer.locator("dl")).to_contain_text(ar(REPORT_STATUS[ReportStatus.SUBMITTED]))
    trip.check(officer, "staff: the submitted report")
    officer.locator("button[name=status][value=under_review]").click()
    expect(officer.locator("dl")).to_contain_text(ar(REPORT_STATUS[ReportStatus.UNDER_REVIEW]))
    trip.check(officer, "staff: the report under review")
    officer.get_by_label(ar("Comment for the council's leaders")).fill(COMMENT)
    officer.locator("button[name=status][value=returned]").click()
    expect(officer.locator("dl")).to_contain_text(ar(REPORT_STATUS[ReportStatus.RETURNED]))
    trip.check(officer, "staff: the returned report")


def leader_corrects(leader, trip: Journey) -> None:
    """On the returned report's page: the comment; in its form, a corrected answer sent again."""
    ckb = lambda message: trip.text("ckb", message)  # noqa: E731
    expect(leader.locator(".card")).to_contain_text(COMMENT)
    trip.check(leader, "leader: the returned report")
    leader.get_by_role("link", name=ckb("Change and submit again")).click()
    expect(leader.locator("#q-households")).to_have_value("١٢٠")
    expect(leader.locator(".card")).to_contain_text(COMMENT)
    leader.locator("#q-households").fill("١٣٠")
    trip.check(leader, "leader: the returned form")
    leader.get_by_role("button", name=ckb("Submit again")).click()
    expect(leader.locator("dl")).to_contain_text(ckb(REPORT_STATUS[ReportStatus.SUBMITTED]))
    expect(leader.locator("table.answers")).to_contain_text("١٣٠")
    trip.check(leader, "leader: the report submitted again")

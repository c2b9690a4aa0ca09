"""A council leader whose language is Sorani fills the quarter's needs survey on a 360 px phone:
a wrong answer comes back with its message and everything typed, a draft is saved, left and
resumed, and the report submitted; a ministry officer (two-factor authentication done) takes it
under review and returns it with a comment; the leader, mailed a link, reads the comment,
corrects an answer and submits again, and the officer sees it back. Each page on the way: no
sideways scrolling, 44 px targets, no WCAG 2.1 A/AA violation that axe-core finds."""

import pytest
from flask_babel import force_locale, gettext

from portal.auth.models import User
from portal.extensions import db
from portal.i18n import format_number
from portal.needs.labels import REPORT_STATUS
from portal.needs.models import ReportStatus
from tests.browser.needs_data import publish_standard
from tests.browser.test_layout import layout_problems, phone, sign_in  # noqa: F401

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


def in_locale(app, locale: str, text) -> str:
    """A message (a msgid, or a lazy string) as a reader of ``locale`` sees it."""
    with app.test_request_context(), force_locale(locale):
        return gettext(text) if isinstance(text, str) else str(text)


class Visits:
    """The problems of each page a tab reaches, asserted together at the end."""

    def __init__(self):
        self.found = {}

    def check(self, tab, step: str):
        if issues := layout_problems(tab):
            self.found[step] = issues


def test_a_report_in_sorani_returned_corrected_and_resubmitted(
        app, journey, phone, deliver, mailbox):  # noqa: F811 (the fixture imported above)
    ckb = lambda text: in_locale(app, "ckb", text)  # noqa: E731
    visits = Visits()
    leader = phone("ckb")
    sign_in(app, leader, journey["leader"])

    leader.goto("/needs/")
    assert leader.locator("html").get_attribute("lang") == "ckb"
    visits.check(leader, "leader: open rounds")
    leader.get_by_role("link", name=ckb("Fill in the survey")).click()
    form = f"/needs/rounds/{journey['round_id']}/councils/{journey['council']}"
    assert leader.url.endswith(form)
    visits.check(leader, "leader: the empty form")

    # A negative number of households is refused in Sorani; all that was typed comes back.
    leader.locator("#q-households").fill("-12")
    leader.locator("#q-members_est").fill("٥٤٠")  # Sorani digits
    leader.locator("#q-docs_problem-no").check()
    leader.locator("#q-docs_people").fill("٧")  # asked only when documents are a problem
    leader.locator("#q-return_intent-few").check()
    leader.locator("#q-return_barriers-jobs").check()
    leader.locator("#q-notes").fill(NOTES)
    leader.get_by_role("button", name=ckb("Save draft")).click()
    with app.test_request_context(), force_locale("ckb"):
        at_least_zero = gettext("Please enter a number of at least %(min)s.",
                                min=format_number(0))
    assert leader.locator("#q-households-error").inner_text() == at_least_zero
    assert at_least_zero in leader.locator(".error-summary").inner_text()
    assert leader.locator("#q-households").input_value() == "-12"
    assert leader.locator("#q-members_est").input_value() == "٥٤٠"
    assert leader.locator("#q-docs_problem-no").is_checked()
    assert leader.locator("#q-docs_people").input_value() == "٧"
    assert leader.locator("#q-return_barriers-jobs").is_checked()
    assert leader.locator("#q-notes").input_value() == NOTES
    visits.check(leader, "leader: the form with an error")

    leader.locator("#q-households").fill("١٢٠")
    leader.get_by_role("button", name=ckb("Save draft")).click()
    assert ckb("Your draft is saved. You can come back to it until the round closes.") \
        in leader.get_by_role("main").inner_text()
    # Documents are no problem, so the number of people who need them was not kept.
    assert leader.locator("#q-docs_people").input_value() == ""
    visits.check(leader, "leader: the draft saved")

    # Away and back: the draft holds the answers, shown in Sorani digits.
    leader.goto("/needs/")
    leader.locator("main table").last.get_by_role("link").click()
    answers = leader.locator("table.answers")
    assert "١٢٠" in answers.inner_text() and "٥٤٠" in answers.inner_text()
    assert answers.locator("th[scope=row]").count() == 18  # the 2 about documents left out
    visits.check(leader, "leader: the draft's page")
    leader.get_by_role("link", name=ckb("Continue")).click()
    assert leader.locator("#q-households").input_value() == "١٢٠"
    assert leader.locator("#q-notes").input_value() == NOTES

    leader.locator("#q-docs_problem-yes").check()
    leader.locator("#q-docs_kinds-passport").check()
    leader.locator("#q-docs_people").fill("٣٥")
    leader.locator("#q-top_need-documentation").check()
    leader.get_by_role("button", name=ckb("Submit to the ministry")).click()
    main = leader.get_by_role("main")
    assert ckb(REPORT_STATUS[ReportStatus.SUBMITTED]) in main.locator("dl").inner_text()
    assert leader.locator("table.answers th[scope=row]").count() == 20  # now asked
    visits.check(leader, "leader: the submitted report")
    report_url = leader.url

    # The officer takes the report under review and returns it with a comment.
    officer = phone("ar")
    ar = lambda text: in_locale(app, "ar", text)  # noqa: E731
    sign_in(app, officer, journey["staff"])
    officer.goto("/staff/needs/")
    visits.check(officer, "staff: the reports")
    officer.get_by_role("link", name="Iraqi Council of Istanbul").click()
    visits.check(officer, "staff: the submitted report")
    officer.locator("button[name=status][value=under_review]").click()
    assert ar(REPORT_STATUS[ReportStatus.UNDER_REVIEW]) in officer.locator("dl").inner_text()
    visits.check(officer, "staff: the report under review")
    officer.get_by_label(ar("Comment for the council's leaders")).fill(COMMENT)
    officer.locator("button[name=status][value=returned]").click()
    assert ar(REPORT_STATUS[ReportStatus.RETURNED]) in officer.locator("dl").inner_text()
    visits.check(officer, "staff: the returned report")

    # The leader follows the mailed link, reads the comment, corrects and submits again.
    deliver()
    leader.goto(mailbox.last_link(journey["leader"]))
    assert leader.url == report_url
    assert COMMENT in leader.locator(".card").inner_text()
    visits.check(leader, "leader: the returned report")
    leader.get_by_role("link", name=ckb("Change and submit again")).click()
    assert COMMENT in leader.locator(".card").inner_text()
    leader.locator("#q-households").fill("١٣٠")
    visits.check(leader, "leader: the returned form")
    leader.get_by_role("button", name=ckb("Submit again")).click()
    assert ckb(REPORT_STATUS[ReportStatus.SUBMITTED]) in leader.locator("dl").inner_text()
    assert "١٣٠" in leader.locator("table.answers").inner_text()
    visits.check(leader, "leader: the report submitted again")

    officer.reload()
    assert ar(REPORT_STATUS[ReportStatus.SUBMITTED]) in officer.locator("dl").inner_text()
    with app.test_request_context(), force_locale("ar"):
        households = format_number(130)
    assert households in officer.locator("table.answers").inner_text()
    visits.check(officer, "staff: the report submitted again")
    assert not visits.found, "\n".join(f"{step}: {issues}" for step, issues in visits.found.items())

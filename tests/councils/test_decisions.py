"""Leaders deciding about people: the decision form, reasons the applicant reads in their own
language, what applicants share, the daily mail to leaders, and leaving with a confirmation."""

import html
import re
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.auth.services import find_by_email
from portal.councils import services
from portal.councils.labels import REJECTION_REASON
from portal.councils.models import Council, Membership, MembershipStatus, RejectionReason
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import LOCALES
from portal.mail import OutboxMessage
from portal.members.models import Profile
from tests.conftest import log_in

REASON_NEEDED = "Please choose a reason for the rejection."


def client_of(app, email):
    client = app.test_client()
    log_in(client, email)
    return client


def translated(app, locale: str, message: str) -> str:
    with app.test_request_context(), force_locale(locale):
        return gettext(message)


def ask_to_join(app, email: str, slug: str) -> int:
    with app.test_request_context():
        membership = services.request_to_join(find_by_email(email), services.find_council(slug))
        db.session.commit()
        return membership.id


def request_row(app, membership_id: int) -> Membership:
    with app.app_context():
        return db.session.get(Membership, membership_id)


def outbox_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_the_form_chooses_nothing_in_advance(app, world):
    ask_to_join(app, world["outsider"], world["council"])
    page = client_of(app, world["leader"]).get(
        f"/councils/{world['council']}/members?lang=en").get_data(as_text=True)
    assert '<button type="submit" class="button" name="decision" value="approve"' in page
    assert 'name="decision" value="reject"' in page
    assert '<select id="decision' not in page and "selected" not in page
    assert "Lives outside this council's city or country" in html.unescape(page)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_rejection_without_a_reason_decides_nothing_and_keeps_the_note(app, world, locale):
    request_id = ask_to_join(app, world["outsider"], world["council"])
    before = outbox_count(app)
    response = client_of(app, world["leader"]).post(
        f"/councils/{world['council']}/requests/{request_id}?lang={locale}",
        data={"decision": "reject", "reason": "", "note": "Bitte <b>zuerst</b> anrufen"})
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert translated(app, locale, REASON_NEEDED) in page
    assert translated(app, locale, "Please correct the following:") in page
    assert ">Bitte <b>zuerst</b> anrufen</textarea>" in page  # what was typed, still there
    assert "<b>zuerst</b>" not in response.get_data(as_text=True)  # and escaped
    assert request_row(app, request_id).status == MembershipStatus.PENDING
    assert outbox_count(app) == before


def test_the_reason_chosen_is_kept_when_the_note_is_too_long(app, world):
    request_id = ask_to_join(app, world["outsider"], world["council"])
    page = client_of(app, world["leader"]).post(
        f"/councils/{world['council']}/requests/{request_id}?lang=en",
        data={"decision": "reject", "reason": "duplicate", "note": "x" * 1001},
    ).get_data(as_text=True)
    assert '<option value="duplicate" selected>' in page
    assert '<ul class="field-errors" id="note-error-' in page
    assert request_row(app, request_id).status == MembershipStatus.PENDING


def test_each_request_has_a_form_of_its_own_beside_one_that_failed(app, world, make_user):
    """Blank forms are written once and given each request's ids; a failed one keeps its own
    errors and what was typed, and only it."""
    failed = ask_to_join(app, world["outsider"], world["council"])
    make_user(email="second@example.org", name="Second")
    other = ask_to_join(app, "second@example.org", world["council"])
    page = client_of(app, world["leader"]).post(
        f"/councils/{world['council']}/requests/{failed}?lang=en",
        data={"decision": "reject", "reason": "", "note": "kept"}).get_data(as_text=True)
    ids = re.findall(r' id="([^"]+)"', page)
    assert len(ids) == len(set(ids)) and "{item}" not in page
    for request_id in (failed, other):
        assert f'<label for="reason-{request_id}">' in page
        assert f'<textarea id="note-{request_id}"' in page
    assert f'id="reason-error-{failed}"' in page and f'id="reason-error-{other}"' not in page
    assert page.count(">kept</textarea>") == 1


def test_an_approval_needs_no_reason(app, world):
    request_id = ask_to_join(app, world["outsider"], world["council"])
    client_of(app, world["leader"]).post(f"/councils/{world['council']}/requests/{request_id}",
                                         data={"decision": "approve"})
    row = request_row(app, request_id)
    assert row.status == MembershipStatus.APPROVED and row.reason_code is None


def test_no_decision_is_no_decision(app, world):
    request_id = ask_to_join(app, world["outsider"], world["council"])
    response = client_of(app, world["leader"]).post(
        f"/councils/{world['council']}/requests/{request_id}?lang=en", data={"reason": "other"})
    assert "Decision: Please choose one of the options." in response.get_data(as_text=True)
    assert request_row(app, request_id).status == MembershipStatus.PENDING


def test_the_applicant_reads_the_reason_in_their_own_language(app, world, mailbox, deliver):
    with app.app_context():
        find_by_email(world["outsider"]).locale = "ar"
        db.session.commit()
    request_id = ask_to_join(app, world["outsider"], world["council"])
    client_of(app, world["leader"]).post(
        f"/councils/{world['council']}/requests/{request_id}?lang=en",
        data={"decision": "reject", "reason": "not_local", "note": "Try the Ankara council"})
    row = request_row(app, request_id)
    assert row.status == MembershipStatus.REJECTED
    assert (row.reason_code, row.reason) == ("not_local", "Try the Ankara council")
    label = translated(app, "ar", "Lives outside this council's city or country")
    assert label != "Lives outside this council's city or country"
    deliver()
    [mail] = mailbox.to(world["outsider"])
    assert label in mail.get_content() and "Try the Ankara council" in mail.get_content()
    account = html.unescape(client_of(app, world["outsider"]).get("/me/councils")
                            .get_data(as_text=True))
    assert label in account and "<bdi>Try the Ankara council</bdi>" in account


def test_reason_labels_cover_every_code():
    assert set(REJECTION_REASON) == {reason.value for reason in RejectionReason}


def test_the_service_refuses_a_rejection_without_a_reason(ctx, world):
    membership = services.request_to_join(find_by_email(world["outsider"]),
                                          services.find_council(world["council"]))
    with pytest.raises(DomainError):
        services.decide_request(membership, False, "No", find_by_email(world["leader"]))
    assert membership.status == MembershipStatus.PENDING
    services.decide_request(membership, False, "", find_by_email(world["leader"]),
                            RejectionReason.UNCONFIRMED)
    assert membership.reason_code == RejectionReason.UNCONFIRMED and membership.reason is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "membership.rejected"))
    assert event.details["reason_code"] == "unconfirmed"


def test_requests_show_what_the_applicant_shares_and_nothing_sensitive(app, world):
    with app.app_context():
        db.session.add(Profile(user_id=world["ids"]["outsider"], city="Gaziantep",
                               phone="+90 555 000 1111", occupation="Nurse",
                               residence_status="asylum_seeker", documentation_needs=["passport"],
                               shared_with_leaders=["display_name", "city", "occupation",
                                                    "residence_status"]))
        db.session.commit()
    ask_to_join(app, world["outsider"], world["council"])
    page = client_of(app, world["leader"]).get(
        f"/councils/{world['council']}/members?lang=en").get_data(as_text=True)
    pending = page.split('id="pending-title"')[1].split("</section>")[0]
    for value in ("Outsider", "Gaziantep", "Nurse"):
        assert f"<bdi>{value}</bdi>" in pending
    assert "+90 555" not in pending and "asylum" not in pending.lower()
    assert "passport" not in pending.lower()


def test_an_applicant_who_shares_nothing_is_shown_so(app, world):
    with app.app_context():
        db.session.add(Profile(user_id=world["ids"]["outsider"], shared_with_leaders=[]))
        db.session.commit()
    ask_to_join(app, world["outsider"], world["council"])
    page = client_of(app, world["leader"]).get(
        f"/councils/{world['council']}/members?lang=en").get_data(as_text=True)
    pending = page.split('id="pending-title"')[1].split("</section>")[0]
    assert "This person shares nothing with council leaders." in pending
    assert "Outsider" not in pending


def add_leader(app, make_user, slug: str, email: str, locale: str) -> None:
    make_user(email=email, locale=locale, name=email.split("@")[0])
    with app.test_request_context():
        services.set_leader(services.find_council(slug), find_by_email(email), True)
        db.session.commit()


def test_leaders_are_mailed_once_a_day_in_their_language(app, world, make_user, mailbox,
                                                         deliver):
    add_leader(app, make_user, world["council"], "second@example.org", "ar")
    ask_to_join(app, world["outsider"], world["council"])
    ask_to_join(app, world["other_member"], world["council"])  # the same day: no second mail
    deliver()
    [english] = mailbox.to(world["leader"])
    [arabic] = mailbox.to("second@example.org")
    assert english["Subject"].startswith("A request to join Iraqi Council of Istanbul")
    assert arabic["Subject"] == translated(
        app, "ar", "A request to join %(council)s is waiting") % {
        "council": "Iraqi Council of Istanbul"}
    assert arabic["Content-Language"] == "ar"
    assert f"http://localhost/councils/{world['council']}/members" in english.get_content()
    assert not mailbox.to(world["other_leader"])  # another council's leader

    with app.app_context():  # a day later
        council = db.session.scalar(select(Council).where(Council.slug == world["council"]))
        council.leaders_told_at -= timedelta(days=1, minutes=1)
        db.session.commit()
    make_user(email="newcomer@example.org")
    ask_to_join(app, "newcomer@example.org", world["council"])
    deliver()
    assert len(mailbox.to(world["leader"])) == 2
    assert len(mailbox.to("second@example.org")) == 2


def test_a_council_without_leaders_keeps_its_day_for_them(app, world):
    with app.test_request_context():
        council = services.find_council(world["council"])
        services.set_leader(council, find_by_email(world["leader"]), False)
        db.session.commit()
    ask_to_join(app, world["outsider"], world["council"])
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == world["council"]))
        assert council.leaders_told_at is None
    assert outbox_count(app) == 0


def test_a_failed_request_sends_no_mail(app, world):
    ask_to_join(app, world["outsider"], world["council"])
    client = client_of(app, world["outsider"])
    before = outbox_count(app)
    client.post(f"/councils/{world['council']}/join")  # refused: already asked
    assert outbox_count(app) == before


def test_leaving_asks_first(app, world):
    member = client_of(app, world["member"])
    account = member.get("/me/councils?lang=en").get_data(as_text=True)
    assert (f'<form method="get" action="/councils/{world["council"]}/leave"' in account)
    page = member.get(f"/councils/{world['council']}/leave?lang=en").get_data(as_text=True)
    assert "Leave <bdi lang=\"en\">Iraqi Council of Istanbul</bdi>?" in page
    assert f'<form method="post" action="/councils/{world["council"]}/leave"' in page
    assert 'name="confirm" type="hidden" value="yes"' in page  # a plain form: no script needed
    assert "only leader" not in page
    response = member.post(f"/councils/{world['council']}/leave")  # no confirmation
    assert response.headers["Location"].endswith(f"/councils/{world['council']}/leave")
    assert request_row_of(app, world["member"], world["council"]) == MembershipStatus.APPROVED
    member.post(f"/councils/{world['council']}/leave", data={"confirm": "yes"})
    assert request_row_of(app, world["member"], world["council"]) == MembershipStatus.LEFT
    response = member.get(f"/councils/{world['council']}/leave?lang=en", follow_redirects=True)
    assert "You are not a member of this council." in response.get_data(as_text=True)


def request_row_of(app, email: str, slug: str) -> MembershipStatus:
    with app.test_request_context():
        return services.membership_of(find_by_email(email), services.find_council(slug)).status


def test_the_last_leader_is_warned(app, world, make_user):
    leader = client_of(app, world["leader"])
    page = leader.get(f"/councils/{world['council']}/leave?lang=en").get_data(as_text=True)
    assert "You are the council's only leader." in html.unescape(page)
    add_leader(app, make_user, world["council"], "second@example.org", "en")
    page = leader.get(f"/councils/{world['council']}/leave?lang=en").get_data(as_text=True)
    assert "only leader" not in page
    assert "You will no longer be a leader of this council." in page


def test_a_last_leader_leaving_is_on_record(app, world):
    client_of(app, world["leader"]).post(f"/councils/{world['council']}/leave",
                                         data={"confirm": "yes"})
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "membership.leader_left"))
        assert event.details["last_leader"] is True
    assert request_row_of(app, world["leader"], world["council"]) == MembershipStatus.LEFT


def test_withdrawing_a_request_is_one_step(app, world):
    ask_to_join(app, world["outsider"], world["council"])
    outsider = client_of(app, world["outsider"])
    account = outsider.get("/me/councils?lang=en").get_data(as_text=True)
    withdraw = account.split(f'action="/councils/{world["council"]}/leave"')[1].split("</form>")[0]
    assert 'name="confirm" value="yes"' in withdraw and "Withdraw my request" in withdraw
    response = outsider.post(f"/councils/{world['council']}/leave?lang=en",
                             data={"confirm": "yes"}, follow_redirects=True)
    assert "Your request is withdrawn." in response.get_data(as_text=True)
    assert request_row_of(app, world["outsider"], world["council"]) == MembershipStatus.LEFT


def test_the_council_page_gives_the_reason_in_the_applicants_language(app, world):
    with app.test_request_context():
        membership = services.request_to_join(find_by_email(world["outsider"]),
                                              services.find_council(world["council"]))
        services.decide_request(membership, False, "Please use your other account",
                                find_by_email(world["leader"]), "duplicate")
        db.session.commit()
    outsider = app.test_client()
    log_in(outsider, world["outsider"])
    page = outsider.get(f"/councils/{world['council']}?lang=ar").get_data(as_text=True)
    with app.test_request_context(), force_locale("ar"):
        reason = str(REJECTION_REASON["duplicate"])
    assert reason in page and "<bdi>Please use your other account</bdi>" in page
    data = outsider.get("/me/data.json").get_json()
    assert data["memberships"][0]["reason_code"] == "duplicate"

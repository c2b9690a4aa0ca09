"""Council pages, joining, leaders' member lists and staff management, through the client."""

from flask_babel import force_locale, gettext
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.auth.services import find_by_email
from portal.councils.models import Council, Membership, MembershipStatus
from portal.councils.services import find_council, request_to_join
from portal.extensions import db
from portal.members.models import Profile
from tests.conftest import log_in


def as_user(app, email):
    client = app.test_client()
    log_in(client, email)
    return client


def membership(app, email, slug):
    with app.app_context():
        return db.session.scalar(
            select(Membership).join(Membership.user).join(Membership.council)
            .where(Membership.user.has(email=email), Council.slug == slug))


def test_directory_groups_by_localized_country_and_hides_small_counts(client, world):
    page = client.get("/councils/?lang=de").get_data(as_text=True)
    assert "Türkei" in page and "Deutschland" in page
    assert page.index("Deutschland") < page.index("Türkei")  # sorted in the viewer's language
    assert "Iraqi Council of Istanbul" in page
    assert "2 " not in page.split("Iraqi Council of Istanbul")[1].split("</li>")[0]
    page = client.get("/councils/?lang=ar").get_data(as_text=True)
    assert "تركيا" in page


def test_directory_shows_counts_from_ten(app, client, world):
    from portal.auth.models import Role
    from portal.auth.services import create_verified_user
    from portal.councils.services import add_member, find_council

    with app.test_request_context():
        council = find_council(world["council"])
        for n in range(8):
            add_member(council, create_verified_user(f"m{n}@example.org", "M", "long password",
                                                     Role.MEMBER, "en"))
        db.session.commit()
    page = client.get("/councils/?lang=en").get_data(as_text=True)
    assert "10 members" in page
    assert "fewer than 10 members" in page  # Berlin


def test_directory_search(client, world):
    page = client.get("/councils/?q=berlin&lang=en").get_data(as_text=True)
    assert "Berlin" in page and "Istanbul" not in page
    for attack in ["' OR '1'='1", "%", "<script>alert(1)</script>", "x" * 500]:
        response = client.get("/councils/", query_string={"q": attack})
        assert response.status_code == 200
        assert "<script>alert(1)" not in response.get_data(as_text=True)


def test_council_page(client, world):
    page = client.get(f"/councils/{world['council']}?lang=en").get_data(as_text=True)
    assert "Leader" in page  # the leader's display name
    assert 'href="/auth/register"' in page
    assert client.get("/councils/no-such-council").status_code == 404


def test_join_and_leader_approves(app, world, mailbox, deliver):
    outsider = as_user(app, world["outsider"])
    response = outsider.post(f"/councils/{world['council']}/join")
    assert response.status_code == 302
    again = outsider.post(f"/councils/{world['council']}/join?lang=en", follow_redirects=True)
    assert "You have already asked to join this council." in again.get_data(as_text=True)

    leader = as_user(app, world["leader"])
    page = leader.get(f"/councils/{world['council']}/members?lang=en").get_data(as_text=True)
    assert "Outsider" in page
    pending = membership(app, world["outsider"], world["council"])
    response = leader.post(f"/councils/{world['council']}/requests/{pending.id}",
                           data={"decision": "approve", "reason": ""})
    assert response.status_code == 302
    assert membership(app, world["outsider"], world["council"]).status == "approved"
    deliver()
    assert mailbox.to(world["outsider"])


def test_leader_of_another_council_gets_404(app, world):
    other_leader = as_user(app, world["other_leader"])
    assert other_leader.get(f"/councils/{world['council']}/members").status_code == 404
    assert other_leader.get(f"/councils/{world['council']}/members.csv").status_code == 404
    own = membership(app, world["member"], world["council"])
    response = other_leader.post(f"/councils/{world['council']}/requests/{own.id}",
                                 data={"decision": "approve"})
    assert response.status_code == 404


def test_approving_a_request_of_another_council_through_own_url(app, world):
    outsider = as_user(app, world["outsider"])
    outsider.post(f"/councils/{world['other_council']}/join")
    foreign = membership(app, world["outsider"], world["other_council"])
    leader = as_user(app, world["leader"])
    response = leader.post(f"/councils/{world['council']}/requests/{foreign.id}",
                           data={"decision": "approve"})
    assert response.status_code == 404
    assert membership(app, world["outsider"], world["other_council"]).status == "pending"


def test_member_list_and_csv_show_only_shared_fields(app, world):
    with app.app_context():
        db.session.add(Profile(user_id=world["ids"]["member"], city="Istanbul",
                               phone="+90 555 123 4567", occupation="=HYPERLINK(1)",
                               residence_status="asylum_seeker",
                               shared_with_leaders=["display_name", "city", "occupation"]))
        db.session.commit()
    leader = as_user(app, world["leader"])
    page = leader.get(f"/councils/{world['council']}/members?lang=en").get_data(as_text=True)
    assert "Istanbul" in page and "+90 555 123 4567" not in page
    assert "Asylum" not in page and "asylum_seeker" not in page
    response = leader.get(f"/councils/{world['council']}/members.csv?lang=en")
    text = response.get_data(as_text=True)
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "Istanbul" in text and "+90 555" not in text
    assert "'=HYPERLINK(1)" in text  # formula neutralized
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "members.exported")) is not None


def test_joining_a_suspended_council(app, world):
    staff = as_user(app, world["staff"])
    staff.post(f"/staff/councils/{world['council']}/status", data={"status": "suspended"})
    outsider = as_user(app, world["outsider"])
    assert outsider.get(f"/councils/{world['council']}").status_code == 404
    response = outsider.post(f"/councils/{world['council']}/join?lang=en", follow_redirects=True)
    assert "This council is not open to new members." in response.get_data(as_text=True)
    assert membership(app, world["outsider"], world["council"]) is None


def test_propose_and_staff_decide(app, world, mailbox, deliver):
    outsider = as_user(app, world["outsider"])
    bad = outsider.post("/councils/propose?lang=sv", data={"name": "", "country": "XX",
                                                          "city": "c" * 81})
    page = bad.get_data(as_text=True)
    with app.test_request_context(), force_locale("sv"):
        assert gettext("Please choose one of the options.") in page
        assert gettext("Please fill in this field.") in page
    assert 'value="' + "c" * 81 + '"' in page  # typed values kept
    outsider.post("/councils/propose", data={"name": "Council of Malmö", "country": "SE",
                                             "city": "Malmö", "description": "Many families"})
    with app.app_context():
        proposed = db.session.scalar(select(Council).where(Council.status == "proposed"))
    assert outsider.get(f"/councils/{proposed.slug}").status_code == 404  # not public yet

    staff = as_user(app, world["staff"])
    assert "Council of Malmö" in staff.get("/staff/councils/?lang=en").get_data(as_text=True)
    staff.post(f"/staff/councils/{proposed.slug}/decision",
               data={"decision": "approve", "reason": "Welcome"})
    deliver()
    [mail] = mailbox.to(world["outsider"])
    assert "Council of Malmö" in mail["Subject"] + mail.get_content()
    assert membership(app, world["outsider"], proposed.slug).role == "leader"


def test_staff_create_edit_and_appoint(app, world):
    staff = as_user(app, world["staff"])
    response = staff.post("/staff/councils/new", data={
        "name_en": "Council of Qom", "country": "IR", "city_en": "Qom", "default_locale": "en"})
    assert response.headers["Location"].endswith("/staff/councils/ir-qom")
    staff.post("/staff/councils/ir-qom", data={
        "name_en": "Iraqi Council of Qom", "country": "IR", "city_en": "Qom",
        "description_en": "For Iraqis", "default_locale": "en",
        "name_ar": "مجلس الجالية العراقية في قم", "city_ar": "قم"})
    assert "مجلس الجالية العراقية في قم" in as_user(app, world["member"]).get(
        "/councils/?lang=ar&q=قم").get_data(as_text=True)
    staff.post("/staff/councils/ir-qom/leaders", data={"email": world["outsider"]})
    assert membership(app, world["outsider"], "ir-qom").role == "leader"
    response = staff.post("/staff/councils/ir-qom/leaders?lang=en",
                          data={"email": "nobody@example.org"}, follow_redirects=True)
    assert "No member is registered with this email address." in response.get_data(as_text=True)
    leader_id = world["ids"]["outsider"]
    staff.post(f"/staff/councils/ir-qom/leaders/{leader_id}/remove")
    assert membership(app, world["outsider"], "ir-qom").role == "member"


def test_leave_and_home_from_the_account(app, world):
    member = as_user(app, world["member"])
    member.post(f"/councils/{world['council']}/leave", data={"confirm": "yes"})
    assert membership(app, world["member"], world["council"]).status == MembershipStatus.LEFT
    response = member.post(f"/councils/{world['council']}/home?lang=en", follow_redirects=True)
    assert "You can only choose a council you belong to as your home." in \
        response.get_data(as_text=True)


def test_cli_create_and_add_member(app, world):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["councils", "create", "--name", "Council of Ankara",
                                 "--country", "TR", "--city", "Ankara"])
    assert result.output.strip() == "tr-ankara"
    result = runner.invoke(args=["councils", "add-member", "tr-ankara", world["outsider"],
                                 "--leader"])
    assert result.exit_code == 0, result.output
    assert membership(app, world["outsider"], "tr-ankara").role == "leader"
    assert runner.invoke(args=["councils", "add-member", "nope", world["outsider"]]).exit_code
    assert runner.invoke(args=["councils", "create", "--name", "X", "--country", "ZZZ"]).exit_code
    result = runner.invoke(args=["councils", "create", "--name", "مجلس الجالية العراقية في قم",
                                 "--country", "IR", "--city", "قم", "--locale", "ar"])
    assert result.output.strip() == "ir"  # no Latin letters: the country alone, never changed
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.slug == "ir"))
        assert council.default_locale == "ar" and council.text_in("de").name_lang == "ar"


def test_proposals_are_written_in_the_proposers_language(app, world):
    proposer = app.test_client()
    log_in(proposer, world["outsider"])
    proposer.post("/councils/propose?lang=fa", data={
        "name": "شورای عراقی‌های شیراز", "country": "IR", "city": "شیراز"})
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.status == "proposed"))
        assert council.default_locale == "fa"


def test_a_second_proposal_for_a_place_links_to_its_council(app, world):
    proposer = app.test_client()
    log_in(proposer, world["outsider"])
    page = proposer.post("/councils/propose?lang=en", data={
        "name": "Another Istanbul council", "country": "TR", "city": "istanbul"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "There is already a council for this place." in text
    assert f'href="/councils/{world["council"]}"' in text
    assert 'value="Another Istanbul council"' in text  # nothing typed is lost


def test_leaders_of_a_suspended_council_see_but_cannot_act(app, world):
    staff, leader = app.test_client(), app.test_client()
    log_in(staff, world["staff"])
    log_in(leader, world["leader"])
    request_id = _outsider_request(app, world)
    staff.post(f"/staff/councils/{world['council']}/status", data={"status": "suspended"})
    page = leader.get(f"/councils/{world['council']}/members?lang=en").get_data(as_text=True)
    assert "This council is suspended" in page and "Member" in page
    assert "members.csv" not in page and 'name="decision"' not in page
    export = leader.get(f"/councils/{world['council']}/members.csv")
    assert export.status_code == 302 and "text/csv" not in export.content_type
    leader.post(f"/councils/{world['council']}/requests/{request_id}", data={"decision": "approve"})
    assert membership(app, world["outsider"], world["council"]).status == "pending"
    # Staff keep their powers over a suspended council.
    assert staff.get(f"/councils/{world['council']}/members.csv").status_code == 200


def _outsider_request(app, world) -> int:
    with app.test_request_context():
        membership_ = request_to_join(find_by_email(world["outsider"]),
                                      find_council(world["council"]))
        db.session.commit()
        return membership_.id


def test_one_line_fields_keep_one_line(app, world):
    """A line break pasted into a name would travel into mail subjects and CSV rows."""
    proposer = app.test_client()
    log_in(proposer, world["outsider"])
    proposer.post("/councils/propose", data={
        "name": "Council of\r\nLund\u2028=1+1", "country": "SE", "city": "Lund\n",
        "description": "Line one\nline two"})
    with app.app_context():
        council = db.session.scalar(select(Council).where(Council.status == "proposed"))
        assert (council.name, council.city) == ("Council of Lund =1+1", "Lund")
        assert council.description == "Line one\nline two"  # a text area keeps its lines

"""Reports, the 3-report hiding, the staff's queue and decisions, appeals decided by another
moderator, concurrent decisions, suspensions; authors and staff told by mail."""

import re

import pytest
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.auth.models import Role, User
from portal.auth.services import create_verified_user
from portal.councils.services import add_member, find_council
from portal.extensions import db
from portal.posts.models import Post, PostStatus
from tests.conftest import PASSWORD, log_in
from tests.posts.conftest import status_of, write

pytestmark = pytest.mark.usefixtures("trusted")


@pytest.fixture
def reporters(app, world):
    """Three more members of the Istanbul council, signed in."""
    made = []
    with app.test_request_context():
        council = find_council(world["council"])
        for n in range(3):
            add_member(council, create_verified_user(f"r{n}@example.org", f"R{n}", PASSWORD,
                                                     Role.MEMBER, "en"))
        db.session.commit()
    for n in range(3):
        client = app.test_client()
        log_in(client, f"r{n}@example.org")
        made.append(client)
    return made


def _report(client, world, post_id, reason="spam", text=""):
    return client.post(f"/councils/{world['council']}/posts/{post_id}/report",
                       data={"reason": reason, "text": text})


def _version(app, post_id):
    with app.app_context():
        return db.session.get(Post, post_id).version


def _decide(client, app, post_id, action, reason="spam", version=None):
    version = _version(app, post_id) if version is None else version
    return client.post("/staff/moderation/decide", data={
        "item": f"{post_id}:{version}", "action": action, "reason": reason, "note": "Noted"})


def test_reporting_rules(app, world, clients, reporters):
    post_id = write(app, world, "member", "Buy cheap watches")
    own = _report(clients["member"], world, post_id)
    assert "You cannot report your own post." in own.get_data(as_text=True)
    assert _report(clients["leader"], world, post_id).status_code == 302
    again = _report(clients["leader"], world, post_id)
    assert "You have already reported this post." in again.get_data(as_text=True)
    vague = _report(reporters[0], world, post_id, "other", "")
    assert "Please say what is wrong with the post." in vague.get_data(as_text=True)
    outsider = _report(clients["outsider"], world, post_id)
    assert outsider.status_code == 404
    with app.app_context():
        assert db.session.get(Post, post_id).open_reports == 1


def test_three_reports_hide_alert_staff_and_tell_the_author(app, world, reporters, deliver,
                                                          mailbox):
    with app.app_context():
        db.session.get(User, world["ids"]["member"]).locale = "ar"
        db.session.commit()
    post_id = write(app, world, "member", "Something others dislike")
    for client in reporters[:2]:
        _report(client, world, post_id)
    assert status_of(app, post_id) == PostStatus.PUBLISHED
    _report(reporters[2], world, post_id, "abuse")
    assert status_of(app, post_id) == PostStatus.HIDDEN
    deliver()
    assert mailbox.to(world["staff"]) and mailbox.to(world["admin"])
    [told] = mailbox.to(world["member"])
    assert told["Content-Language"] == "ar"
    for address in ("r0@example.org", "R0"):  # who reported is never told
        assert address not in told.get_content()


def test_the_queue_filters_and_decides_with_a_reason_mailed_in_the_authors_language(
        app, world, clients, deliver, mailbox):
    app.config["POSTS_BEFORE_TRUSTED"] = 3
    with app.app_context():
        db.session.get(User, world["ids"]["member"]).locale = "de"
        db.session.commit()
    pending = write(app, world, "member", "My first post")
    elsewhere = write(app, world, "other_member", "Berlin post", council="other_council_id")
    queue = clients["staff"].get("/staff/moderation").get_data(as_text=True)
    assert "My first post" in queue and "Berlin post" in queue
    only_tr = clients["staff"].get("/staff/moderation?country=TR").get_data(as_text=True)
    assert "My first post" in only_tr and "Berlin post" not in only_tr
    by_language = clients["staff"].get("/staff/moderation?language=de").get_data(as_text=True)
    assert "My first post" in by_language and "Berlin post" not in by_language
    _decide(clients["staff"], app, pending, "reject", "off_topic")
    assert status_of(app, pending) == PostStatus.REJECTED
    _decide(clients["staff"], app, elsewhere, "approve", "follows_rules")
    assert status_of(app, elsewhere) == PostStatus.PUBLISHED
    deliver()
    [mail] = mailbox.to(world["member"])
    assert mail["Content-Language"] == "de" and "Noted" in mail.get_content()


def test_bulk_decisions(app, world, clients):
    app.config["POSTS_BEFORE_TRUSTED"] = 3
    ids = [write(app, world, "member", f"Post {n}") for n in range(3)]
    clients["staff"].post("/staff/moderation/decide", data={
        "item": [f"{post_id}:{_version(app, post_id)}" for post_id in ids],
        "action": "approve", "reason": "follows_rules"})
    assert {status_of(app, post_id) for post_id in ids} == {PostStatus.PUBLISHED}


def test_each_item_s_form_has_fields_of_its_own(app, world, clients):
    """Every item repeats the decision form: its ids must be unique and each label must name
    its own item's field (a screen reader reads the label of the field it is on)."""
    app.config["POSTS_BEFORE_TRUSTED"] = 3
    ids = [write(app, world, "member", f"Post {n}") for n in range(2)]
    page = clients["staff"].get("/staff/moderation").get_data(as_text=True)
    found = re.findall(r' id="([^"]+)"', page)
    assert len(found) == len(set(found)) and "{item}" not in page  # every id filled in
    for post_id in ids:
        assert f'<label for="reason-{post_id}"' in page and f'id="reason-{post_id}"' in page
    assert {"reason", "note"} <= set(re.findall(r' name="([a-z]+)"', page))  # names unchanged


def test_two_moderators_deciding_at_once_change_it_once(app, world, clients):
    app.config["POSTS_BEFORE_TRUSTED"] = 3
    post_id = write(app, world, "member", "Contested")
    seen = _version(app, post_id)
    _decide(clients["staff"], app, post_id, "approve", "follows_rules", seen)
    second = _decide(clients["admin"], app, post_id, "reject", "spam", seen)
    assert second.status_code == 302
    assert status_of(app, post_id) == PostStatus.PUBLISHED
    with app.app_context():
        decisions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("moderation.%"))).all()
    assert decisions == ["moderation.approve"]
    page = clients["admin"].get("/staff/moderation")
    assert "Contested" not in page.get_data(as_text=True)


def test_an_appeal_is_decided_by_another_moderator(app, world, clients, deliver, mailbox):
    post_id = write(app, world, "member", "Fair criticism")
    _report(clients["leader"], world, post_id)
    _decide(clients["staff"], app, post_id, "hide", "abuse")
    assert status_of(app, post_id) == PostStatus.HIDDEN
    appeal = clients["member"].post(f"/councils/{world['council']}/posts/{post_id}/appeal",
                                    data={"text": "It was not abuse."})
    assert appeal.status_code == 302
    twice = clients["member"].post(f"/councils/{world['council']}/posts/{post_id}/appeal",
                                   data={"text": "Again"})
    assert "already appealed" in twice.get_data(as_text=True)
    queue = clients["staff"].get("/staff/moderation").get_data(as_text=True)
    assert "another moderator must decide" in queue
    _decide(clients["staff"], app, post_id, "restore", "follows_rules")
    assert status_of(app, post_id) == PostStatus.HIDDEN  # refused on the server too
    _decide(clients["admin"], app, post_id, "restore", "follows_rules")
    assert status_of(app, post_id) == PostStatus.PUBLISHED
    deliver()
    assert len(mailbox.to(world["member"])) == 2  # the hiding, then the appeal's outcome


def test_an_appeal_against_a_hiding_by_reports_any_moderator_decides(app, world, clients,
                                                                      reporters):
    post_id = write(app, world, "member", "Piled on")
    for client in reporters:
        _report(client, world, post_id)
    clients["member"].post(f"/councils/{world['council']}/posts/{post_id}/appeal",
                           data={"text": "A pile-on."})
    _decide(clients["staff"], app, post_id, "uphold", "abuse")
    with app.app_context():
        post = db.session.get(Post, post_id)
        assert post.status == PostStatus.HIDDEN and not post.needs_moderation


def test_suspension_stops_posting_and_says_why(app, world, clients):
    form = clients["staff"].get(f"/staff/moderation/suspend?member={world['ids']['member']}")
    assert form.status_code == 200 and "Reason the member will read" in form.get_data(as_text=True)
    response = clients["staff"].post("/staff/moderation/suspend", data={
        "member": world["ids"]["member"], "council": world["council_id"], "scope": "council",
        "days": 7, "reason": "Repeated insults"})
    assert response.status_code == 302
    page = clients["member"].get(f"/councils/{world['council']}").get_data(as_text=True)
    assert "Repeated insults" in page and "You may not post here until" in page
    refused = clients["member"].post(f"/councils/{world['council']}/posts",
                                     data={"body": "Still here"})
    assert "suspended" in refused.get_data(as_text=True)


def test_leaders_see_what_waits_without_who_reported(app, world, clients, reporters):
    post_id = write(app, world, "member", "Reported text")
    _report(reporters[0], world, post_id, "personal_data")
    page = clients["leader"].get(f"/councils/{world['council']}/moderation")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Reported text" in text
    assert "personal data" in text and "R0" not in text and "r0@" not in text
    assert clients["member"].get(f"/councils/{world['council']}/moderation").status_code == 404


def test_every_moderation_action_is_in_the_audit_log(app, world, clients):
    app.config["POSTS_BEFORE_TRUSTED"] = 3
    post_id = write(app, world, "member", "Audited")
    _decide(clients["staff"], app, post_id, "approve", "follows_rules")
    page = clients["staff"].get("/staff/audit?action=moderation").get_data(as_text=True)
    assert "moderation.approve" in page


def test_decisions_on_what_is_not_waiting_change_nothing(app, world, clients):
    post_id = write(app, world, "member", "Fine post")
    response = _decide(clients["staff"], app, post_id, "approve", "follows_rules")
    assert response.status_code == 302
    assert status_of(app, post_id) == PostStatus.PUBLISHED
    bad = clients["staff"].post("/staff/moderation/decide", data={
        "item": "nonsense", "action": "explode", "reason": "spam"})
    assert bad.status_code == 302


def test_the_demo_has_posts_in_several_languages_waiting_reported_and_appealed(app):
    from portal.demo import load_demo
    from portal.posts.models import Appeal, PostReport

    with app.test_request_context():
        load_demo()
        db.session.commit()
        posts = db.session.scalars(select(Post)).all()
        assert {post.status for post in posts} >= {PostStatus.PUBLISHED, PostStatus.PENDING,
                                                   PostStatus.HIDDEN}
        assert db.session.scalars(select(PostReport)).first() is not None
        assert db.session.scalars(select(Appeal)).first() is not None
        assert sum(post.needs_moderation for post in posts) == 3


def test_staff_see_what_an_edited_post_said_before(app, world, clients):
    with app.app_context():
        from portal.councils.models import Council

        db.session.get(Council, world["council_id"]).posts_premoderated = True
        db.session.commit()
    post_id = write(app, world, "member", "The first text")
    clients["member"].post(f"/councils/{world['council']}/posts/{post_id}/edit",
                           data={"body": "The second text"})
    page = clients["staff"].get("/staff/moderation").get_data(as_text=True)
    assert "The second text" in page and "The first text" in page and "Earlier versions" in page


def test_numbers_too_large_for_an_id_are_not_found_never_a_failure(app, world, clients):
    huge = "9" * 25
    assert clients["staff"].get(f"/announcements/{huge}").status_code == 404
    assert clients["member"].get(f"/councils/{world['council']}/posts/{huge}").status_code == 404
    reply = clients["member"].post(f"/councils/{world['council']}/posts",
                                   data={"body": "Hello", "parent": huge})
    assert "You can only reply to a published post" in reply.get_data(as_text=True)
    suspend = clients["staff"].get(f"/staff/moderation/suspend?member={huge}&council={huge}")
    assert suspend.status_code == 302
    decide = clients["staff"].post("/staff/moderation/decide", data={
        "item": f"{huge}:1", "action": "approve", "reason": "follows_rules"})
    assert decide.status_code == 302


def test_a_suspension_typed_with_arabic_digits_counts(app, world, clients):
    from portal.posts.models import PostingSuspension

    clients["staff"].post("/staff/moderation/suspend", data={
        "member": world["ids"]["member"], "scope": "everywhere", "days": "١٤",
        "reason": "Spam"})
    with app.app_context():
        suspension = db.session.scalars(select(PostingSuspension)).one()
        assert (suspension.until - suspension.created_at).days in (13, 14)  # 14 days, to the second

"""Writing in a council's discussion, and who reads what."""

import pytest

from portal.auth.models import User
from portal.councils.models import Membership, MembershipStatus
from portal.extensions import db
from portal.posts.models import Post, PostRevision, PostStatus
from tests.posts.conftest import status_of, write


def _page(client, world, post_id=None) -> str:
    path = f"/councils/{world['council']}" + (f"/posts/{post_id}" if post_id else "")
    response = client.get(path)
    return response.get_data(as_text=True) if response.status_code == 200 else ""


def test_a_members_first_posts_wait_for_a_moderator(app, world, clients):
    response = clients["member"].post(f"/councils/{world['council']}/posts",
                                      data={"body": "Hello, neighbours"})
    assert response.status_code == 302
    [post] = _all_posts(app)
    assert post.status == PostStatus.PENDING and post.needs_moderation
    assert "only you can see it" in _page(clients["member"], world)
    assert "Hello, neighbours" not in _page(clients["leader"], world)
    assert "Hello, neighbours" in _page(clients["staff"], world)


def _all_posts(app):
    with app.app_context():
        posts = db.session.query(Post).order_by(Post.id).all()
        db.session.expunge_all()
        return posts


@pytest.mark.usefixtures("trusted")
def test_only_members_and_staff_read_the_discussion(app, world, clients):
    write(app, world, "member", "Published for the council")
    for who in ("member", "leader", "staff", "admin"):
        assert "Published for the council" in _page(clients[who], world), who
    for who in ("visitor", "outsider", "other_member"):
        page = clients[who].get(f"/councils/{world['council']}").get_data(as_text=True)
        assert "Published for the council" not in page, who
        assert "The discussion is for the council's members" in page, who


@pytest.mark.usefixtures("trusted")
@pytest.mark.parametrize(("status", "readers", "line"), [
    (PostStatus.PUBLISHED, {"member", "leader", "staff"}, None),
    (PostStatus.PENDING, {"member", "staff"}, None),
    (PostStatus.REJECTED, {"member", "staff"}, None),
    (PostStatus.HIDDEN, {"member", "staff"}, "Hidden while the moderators review it."),
    (PostStatus.DELETED, set(), "Deleted by its author."),
])
def test_every_status_for_every_viewer(app, world, clients, status, readers, line):
    post_id = write(app, world, "member", "The text itself")
    with app.app_context():
        db.session.get(Post, post_id).status = status
        db.session.commit()
    for who in ("member", "leader", "staff", "outsider", "visitor"):
        page = _page(clients[who], world)
        assert ("The text itself" in page) == (who in readers), (who, status)
        if line and who in ("member", "leader", "staff"):
            assert line in page, (who, status)


@pytest.mark.usefixtures("trusted")
def test_replies_are_one_level_and_counted(app, world, clients):
    thread = write(app, world, "member", "A question")
    reply = write(app, world, "leader", "An answer", parent=thread)
    response = clients["member"].post(f"/councils/{world['council']}/posts",
                                      data={"body": "A reply to the reply", "parent": reply})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "You can only reply to a published post" in page
    assert "A reply to the reply" in page  # nothing typed is lost
    with app.app_context():
        assert db.session.get(Post, thread).reply_count == 1
    assert "An answer" in _page(clients["member"], world, thread)


@pytest.mark.usefixtures("trusted")
def test_text_is_shown_as_text_and_addresses_as_safe_links(app, world, clients):
    write(app, world, "member", '<script>alert(1)</script> see https://example.org/a?b=1&c=2.')
    page = _page(clients["leader"], world)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert ('<a href="https://example.org/a?b=1&amp;c=2" rel="nofollow ugc noopener">'
            in page)
    assert 'dir="auto"' in page


@pytest.mark.usefixtures("trusted")
def test_editing_keeps_the_history_and_premoderation_sends_it_back(app, world, clients):
    post_id = write(app, world, "member", "First words")
    clients["member"].post(f"/councils/{world['council']}/posts/{post_id}/edit",
                           data={"body": "Better words"})
    with app.app_context():
        assert db.session.scalar(db.select(PostRevision.body)) == "First words"
        post = db.session.get(Post, post_id)
        assert post.body == "Better words" and post.status == PostStatus.PUBLISHED
        post.council.posts_premoderated = True
        db.session.commit()
    clients["member"].post(f"/councils/{world['council']}/posts/{post_id}/edit",
                           data={"body": "Even better words"})
    assert status_of(app, post_id) == PostStatus.PENDING
    assert clients["leader"].get(
        f"/councils/{world['council']}/posts/{post_id}/edit").status_code == 404


@pytest.mark.usefixtures("trusted")
def test_deleting_leaves_a_line_and_the_replies(app, world, clients):
    thread = write(app, world, "member", "Soon gone")
    write(app, world, "leader", "Still here", parent=thread)
    clients["member"].post(f"/councils/{world['council']}/posts/{thread}/delete")
    page = _page(clients["leader"], world, thread)
    assert "Soon gone" not in page and "Deleted by its author." in page and "Still here" in page


@pytest.mark.parametrize(("body", "message"), [
    ("", "Please write something."),
    ("x" * 5001, "Please use at most 5,000 characters."),
])
def test_bad_posts_are_explained_and_kept(app, world, clients, body, message):
    response = clients["member"].post(f"/councils/{world['council']}/posts",
                                      data={"body": body})
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert _all_posts(app) == []


def test_outsiders_cannot_post_or_read(app, world, clients):
    for who in ("outsider", "other_member", "visitor"):
        response = clients[who].post(f"/councils/{world['council']}/posts",
                                     data={"body": "Let me in"})
        assert response.status_code in (302, 404), who
    assert _all_posts(app) == []


@pytest.mark.usefixtures("trusted")
def test_a_former_member_cannot_post_and_their_posts_stay(app, world, clients):
    write(app, world, "member", "Written while a member")
    with app.app_context():
        membership = db.session.scalar(db.select(Membership).where(
            Membership.user_id == world["ids"]["member"]))
        membership.status = MembershipStatus.LEFT
        db.session.commit()
    response = clients["member"].post(f"/councils/{world['council']}/posts",
                                      data={"body": "Again"})
    assert response.status_code == 404
    assert "Written while a member" in _page(clients["leader"], world)


def test_limits_per_hour_and_links_before_trust(app, world, clients):
    app.config["POSTS_PER_HOUR"] = 2
    try:
        for n in range(2):
            clients["member"].post(f"/councils/{world['council']}/posts",
                                   data={"body": f"Post {n}"})
        page = clients["member"].post(f"/councils/{world['council']}/posts",
                                      data={"body": "One too many"}).get_data(as_text=True)
        assert "You have posted a lot in the last hour" in page and "One too many" in page
    finally:
        app.config["POSTS_PER_HOUR"] = 10
    links = " ".join(f"https://example.org/{n}" for n in range(3))
    page = clients["leader"].post(f"/councils/{world['council']}/posts",
                                  data={"body": links}).get_data(as_text=True)
    assert "at most 2 links" in page


@pytest.mark.usefixtures("trusted")
def test_a_deleted_account_leaves_its_posts_to_a_deleted_member(app, world, clients):
    from portal.members.services import delete_account

    write(app, world, "member", "My words stay")
    with app.test_request_context():
        delete_account(db.session.get(User, world["ids"]["member"]))
        db.session.commit()
    page = _page(clients["leader"], world)
    assert "My words stay" in page and "A deleted member" in page


@pytest.mark.usefixtures("trusted")
def test_posts_reports_and_appeals_are_in_the_members_data(app, world, clients):
    post_id = write(app, world, "member", "Mine to download")
    other = write(app, world, "leader", "Reported by me")
    clients["member"].post(f"/councils/{world['council']}/posts/{other}/report",
                           data={"reason": "spam"})
    data = clients["member"].get("/me/data.json").get_json()
    assert [post["text"] for post in data["posts"]] == ["Mine to download"]
    assert data["posts"][0]["id"] == post_id and data["appeals"] == []
    assert [flag["reason"] for flag in data["reports"]] == ["spam"]
    page = clients["member"].get("/me/data").get_data(as_text=True)
    assert "Mine to download" in page and "Posts you reported: 1." in page

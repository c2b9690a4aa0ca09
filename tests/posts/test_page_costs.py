"""The discussion's pages cost the same statements with a few posts and with many: authors come
joined, reply and report counts are kept on the posts."""

from portal.posts.models import ReportReason
from tests.conftest import counted_statements, log_in
from tests.posts.conftest import write


def _grow(app, world, count: int) -> int:
    """``count`` threads with two replies each, one reported; the first thread's id."""
    from portal.auth.models import User
    from portal.extensions import db
    from portal.posts import services
    from portal.posts.models import Post

    first = None
    for n in range(count):
        write(app, world, "other_member", f"Berlin {n}", council="other_council_id")
        thread = write(app, world, "member", f"Thread {n} https://example.org/{n}")
        first = first or thread
        write(app, world, "leader", f"Reply {n}", parent=thread)
        reply = write(app, world, "member", f"Second reply {n}", parent=thread)
        with app.test_request_context():
            services.report(db.session.get(User, world["ids"]["leader"]),
                            db.session.get(Post, reply), ReportReason.SPAM)
            db.session.commit()
    return first


def _statements(app, client, path: str) -> int:
    with app.app_context(), counted_statements() as seen:
        assert client.get(path).status_code == 200, path
    return len(seen)


def test_discussion_pages_do_not_grow_with_the_posts(app, world, trusted):
    member, staff = app.test_client(), app.test_client()
    log_in(member, world["member"])
    log_in(staff, world["staff"])
    app.config["POSTS_PER_HOUR"] = 1000
    try:
        first = _grow(app, world, 3)
        paths = [(member, f"/councils/{world['council']}"),
                 (member, f"/councils/{world['council']}/posts/{first}"),
                 (staff, "/staff/moderation"), (staff, "/staff/moderation?reason=spam"),
                 (staff, f"/councils/{world['council']}")]
        few = [_statements(app, client, path) for client, path in paths]
        _grow(app, world, 30)
        many = [_statements(app, client, path) for client, path in paths]
    finally:
        app.config["POSTS_PER_HOUR"] = 10
    costs = list(zip([path for _, path in paths], few, many, strict=True))
    assert many == few and max(many) <= 8, costs

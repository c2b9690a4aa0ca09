"""Posts written through the service, and clients of the people in the world fixture."""

import pytest

from portal.auth.models import User
from portal.councils.models import Council
from portal.extensions import db
from portal.posts import services
from portal.posts.models import Post, PostStatus
from tests.conftest import log_in


def write(app, world, who: str, body: str, parent: int | None = None,
          council: str = "council_id") -> int:
    """A post (inside a request context, as the form would write it); its id."""
    with app.test_request_context():
        post = services.write(db.session.get(User, world["ids"][who]),
                              db.session.get(Council, world[council]), body, parent)
        db.session.commit()
        return post.id


def status_of(app, post_id: int) -> PostStatus:
    with app.app_context():
        return db.session.get(Post, post_id).status


@pytest.fixture
def trusted(app):
    """Members post without waiting for a moderator (as after their first approved posts)."""
    app.config["POSTS_BEFORE_TRUSTED"] = 0
    yield
    app.config["POSTS_BEFORE_TRUSTED"] = 3


@pytest.fixture
def clients(app, world):
    """A signed-in client for each person of the world, and a visitor."""
    made = {"visitor": app.test_client()}
    for who in ("member", "leader", "other_member", "outsider", "staff", "admin"):
        made[who] = app.test_client()
        made[who].set_cookie("lang", "en")
        log_in(made[who], world[who])
    made["visitor"].set_cookie("lang", "en")
    return made

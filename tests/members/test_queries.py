"""The account pages cost a fixed number of statements, however many councils a member is in,
and the overview stays small."""

import pytest

from portal.auth.services import find_by_email
from portal.councils.services import add_member, create_council, set_home
from portal.extensions import db
from tests.conftest import counted_statements, log_in

PAGES = ["/me", "/me/profile", "/me/sharing", "/me/councils", "/me/password", "/me/language",
         "/me/time-zone"]


def join_councils(app, email: str, start: int, count: int) -> None:
    """Approved memberships in ``count`` new councils, the first made home."""
    with app.test_request_context():
        user = find_by_email(email)
        for n in range(start, start + count):
            council = create_council(f"Council {n}", "SE", f"City {n}")
            add_member(council, user)
            if n == start:
                set_home(user, council)
        db.session.commit()


def statements(app, client, path: str) -> tuple[int, bytes]:
    with app.app_context(), counted_statements() as run:
        response = client.get(path)
    assert response.status_code == 200
    return len(run), response.data


@pytest.mark.parametrize("path", PAGES)
def test_statements_do_not_grow_with_councils(app, client, world, path):
    log_in(client, world["member"])
    join_councils(app, world["member"], 0, 1)
    few, _page = statements(app, client, path)
    join_councils(app, world["member"], 1, 8)
    assert statements(app, client, path)[0] == few <= 5


def test_the_overview_is_small(app, client, world):
    log_in(client, world["member"])
    join_councils(app, world["member"], 0, 20)
    _count, page = statements(app, client, "/me?lang=ar")
    assert len(page) < 20 * 1024
    assert b"<option" not in page and b"<select" not in page

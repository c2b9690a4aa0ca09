"""Pages cost a fixed number of queries, however many councils or members there are."""

import html
import re

from portal.auth.models import Role
from portal.auth.services import create_verified_user
from portal.councils.services import add_member, create_council, find_council, request_to_join
from portal.extensions import db
from portal.members.models import Profile
from tests.conftest import counted_statements, log_in


def add_councils(app, start: int, count: int) -> None:
    with app.test_request_context():
        for n in range(start, start + count):
            council = create_council(f"Council {n}", "SE", f"City {n}")
            add_member(council, create_verified_user(f"c{n}@example.org", "M", "long password",
                                                     Role.MEMBER, "en"))
        db.session.commit()


def directory_statements(app, client) -> int:
    with app.app_context(), counted_statements() as statements:
        assert client.get("/councils/").status_code == 200
    return len(statements)


def test_directory_queries_do_not_grow(app, client):
    add_councils(app, 0, 2)
    few = directory_statements(app, client)
    add_councils(app, 2, 10)
    assert directory_statements(app, client) == few <= 4  # count, councils, names, members


def add_members(app, slug: str, start: int, count: int) -> None:
    with app.test_request_context():
        council = find_council(slug)
        for n in range(start, start + count):
            user = create_verified_user(f"m{n}@example.org", f"M{n}", "long password",
                                        Role.MEMBER, "en")
            db.session.add(Profile(user=user, city="Istanbul"))
            add_member(council, user)
        db.session.commit()


def member_list_statements(app, client, slug: str, query: str = "") -> int:
    with app.app_context(), counted_statements() as statements:
        page = client.get(f"/councils/{slug}/members{query}")
        assert page.status_code == 200
    assert page.get_data(as_text=True).count('<li class="card">') <= 50
    return len(statements)


def test_member_list_queries_do_not_grow(app, client, world):
    """The same statements with 10 members and with 300, on the first page, a later one and a
    search; never more than 50 members on a page."""
    log_in(client, world["leader"])
    add_members(app, world["council"], 0, 10)
    few = [member_list_statements(app, client, world["council"], query)
           for query in ("", "?q=m1")]
    add_members(app, world["council"], 10, 290)
    first = client.get(f"/councils/{world['council']}/members").get_data(as_text=True)
    later = html.unescape(re.search(r'href="([^"]+)" rel="next"', first).group(1))
    assert [member_list_statements(app, client, world["council"], query)
            for query in ("", "?q=m1")] == few
    assert member_list_statements(app, client, world["council"], later[later.index("?"):]) \
        == few[0]


def add_requests(app, slug: str, start: int, count: int) -> None:
    with app.test_request_context():
        council = find_council(slug)
        for n in range(start, start + count):
            user = create_verified_user(f"r{n}@example.org", f"R{n}", "long password",
                                        Role.MEMBER, "en")
            db.session.add(Profile(user=user, city="Izmir", occupation="Teacher",
                                   shared_with_leaders=["display_name", "city", "occupation"]))
            request_to_join(user, council)
        db.session.commit()


def test_requests_with_what_applicants_share_cost_no_query_each(app, client, world):
    log_in(client, world["leader"])
    add_requests(app, world["council"], 0, 2)
    few = member_list_statements(app, client, world["council"])
    add_requests(app, world["council"], 2, 60)
    assert member_list_statements(app, client, world["council"]) == few

"""The leader's member list at scale: requests and members paged by name, a search among the
members, links that survive any name, and decisions that come back to the same page."""

import csv
import html
import io
import re
from urllib.parse import parse_qs, urlsplit

from portal.auth.models import Role
from portal.auth.services import create_verified_user
from portal.councils.services import add_member, find_council, request_to_join
from portal.extensions import db
from tests.conftest import log_in

NAME = re.compile(r"<bdi>((?:Person|Asker) [^<]*)</bdi>")


def add_people(app, slug: str, names: list[str], asking: bool = False) -> None:
    """Members (or, ``asking``, applicants) of the council with these display names."""
    with app.test_request_context():
        council = find_council(slug)
        for n, name in enumerate(names):
            user = create_verified_user(f"{'a' if asking else 'p'}{n}@example.org", name,
                                        "long password", Role.MEMBER, "en")
            request_to_join(user, council) if asking else add_member(council, user)
        db.session.commit()


def leader_of(app, world):
    client = app.test_client()
    log_in(client, world["leader"])
    return client


def page_of(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def link(page: str, rel: str, label: str) -> str | None:
    """The previous or next link in the navigation named ``label``."""
    nav = re.search(rf'<nav aria-label="{label}">(.*?)</nav>', page, re.S)
    found = nav and re.search(rf'<a href="([^"]+)" rel="{rel}"', nav.group(1))
    return html.unescape(found.group(1)) if found else None


def names(page: str, prefix: str = "Person") -> list[str]:
    """The names shown in the page's requests (``prefix`` Asker) or members (Person)."""
    requests, _, members = page.partition('id="approved-title"')
    return [html.unescape(n) for n in NAME.findall(requests if prefix == "Asker" else members)
            if n.startswith(prefix)]


def test_members_come_fifty_a_page_by_name_then_id(app, world):
    people = [f"Person {n:03}" for n in range(120)] + ["Person 050"] * 3  # twins by id
    add_people(app, world["council"], people)
    client = leader_of(app, world)
    url, seen, pages = f"/councils/{world['council']}/members?lang=en", [], []
    while url:
        page = page_of(client, url)
        pages.append(page)
        seen += names(page)
        url = link(page, "next", "Pages of members")
    assert [p.count('<li class="card">') for p in pages] == [50, 50, 25]  # Leader, Member too
    assert seen == sorted(people)
    assert "125 members" in pages[0]  # with the leader and the member
    back = link(pages[2], "prev", "Pages of members")
    assert names(page_of(client, back)) == names(pages[1])
    assert link(pages[0], "prev", "Pages of members") is None


def test_names_with_odd_characters_page_safely(app, world):
    odd = [f"Person {n:02} {c}" for n, c in
           enumerate(["|", "&amp;", "%", "?page=", "أحمد", "\\", '"', "<b>", "#"] * 7)]
    add_people(app, world["council"], odd)
    client = leader_of(app, world)
    first = page_of(client, f"/councils/{world['council']}/members?lang=en")
    second = page_of(client, link(first, "next", "Pages of members"))
    shown = names(first) + names(second)  # in the database's collation, whichever it is
    assert len(shown) == len(odd) and sorted(shown) == sorted(odd)


def test_a_malformed_or_forged_cursor_gives_the_first_page(app, world):
    add_people(app, world["council"], [f"Person {n:03}" for n in range(60)])
    client = leader_of(app, world)
    base = f"/councils/{world['council']}/members?lang=en"
    first = page_of(client, base)
    cursor = parse_qs(urlsplit(link(first, "next", "Pages of members")).query)["page"][0]
    for bad in ["x", "Person%20010|5", cursor[:-3] + "abc", cursor.swapcase(), "%FF%00", "[]"]:
        assert names(page_of(client, f"{base}&page={bad}")) == names(first)
    # a cursor of the requests is no cursor of the members
    assert names(page_of(client, f"{base}&requests_page={cursor}", )) == names(first)


def test_requests_and_members_page_independently(app, world):
    add_people(app, world["council"], [f"Person {n:03}" for n in range(60)])
    add_people(app, world["council"], [f"Asker {n:03}" for n in range(15)], asking=True)
    client = leader_of(app, world)
    first = page_of(client, f"/councils/{world['council']}/members?lang=en")
    assert len(names(first, "Asker")) == 10 and "15 requests waiting" in first
    requests_two = page_of(client, link(first, "next", "Pages of requests"))
    assert names(requests_two, "Asker") == [f"Asker {n:03}" for n in range(10, 15)]
    assert names(requests_two) == names(first)  # the members stay on their first page
    both = page_of(client, link(requests_two, "next", "Pages of members"))
    assert names(both, "Asker") == names(requests_two, "Asker")
    assert names(both) == [f"Person {n:03}" for n in range(48, 60)]  # after Leader, Member


def test_a_decision_comes_back_to_the_page_the_leader_was_on(app, world):
    add_people(app, world["council"], [f"Asker {n:03}" for n in range(30)], asking=True)
    client = leader_of(app, world)
    first = page_of(client, f"/councils/{world['council']}/members?lang=en")
    second_url = link(first, "next", "Pages of requests")
    second = page_of(client, second_url)
    action = html.unescape(re.findall(r'action="([^"]*/requests/\d+[^"]*)"', second)[0])
    response = client.post(action, data={"decision": "approve"})
    assert response.status_code == 302
    assert parse_qs(urlsplit(response.location).query) == parse_qs(urlsplit(second_url).query)
    after = page_of(client, response.location)
    assert names(after, "Asker") == [f"Asker {n:03}" for n in range(11, 21)]
    assert "The request is approved." in after


def test_leaders_search_their_members_by_name_or_email(app, world):
    add_people(app, world["council"], [f"Person Ali {n:03}" for n in range(55)]
               + ["Person Öztürk", "Person Other"])
    client = leader_of(app, world)
    base = f"/councils/{world['council']}/members?lang=en"
    found = page_of(client, f"{base}&q=ali")
    assert len(names(found)) == 50 and "Person Other" not in found
    rest = page_of(client, link(found, "next", "Pages of members"))
    assert len(names(rest)) == 5 and parse_qs(urlsplit(
        link(found, "next", "Pages of members")).query)["q"] == ["ali"]
    assert names(page_of(client, f"{base}&q=OZTURK")) == ["Person Öztürk"]
    assert names(page_of(client, f"{base}&q=p56@example")) == ["Person Other"]
    nothing = page_of(client, f"{base}&q=zzz")
    assert "No member matches your search." in nothing and not names(nothing)


def test_the_search_is_a_labelled_get_form_in_every_language(app, world):
    client = leader_of(app, world)
    for lang, label in [("en", "Name or email"), ("ar", None)]:
        page = page_of(client, f"/councils/{world['council']}/members?lang={lang}")
        form = re.search(r'<form method="get"[^>]*role="search">(.*?)</form>', page, re.S)
        assert form and "csrf_token" not in form.group(1)
        assert re.search(r'<label for="q">([^<]+)</label>', form.group(1))
        if label:
            assert f'<label for="q">{label}</label>' in form.group(1)
        else:
            assert "Name or email" not in form.group(1)


def test_the_export_holds_every_member_not_one_page(app, world):
    add_people(app, world["council"], [f"Person {n:03}" for n in range(120)])
    response = leader_of(app, world).get(f"/councils/{world['council']}/members.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 1 + 122  # a header, the 120, the leader and the member

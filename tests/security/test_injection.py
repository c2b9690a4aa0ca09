"""Hostile input through every text field and every search: escaped on output, bound in SQL."""

from pathlib import Path

import pytest

from portal.auth.models import Role
from portal.auth.services import create_verified_user
from portal.councils.services import (
    add_member,
    create_council,
    decide_request,
    find_council,
    request_to_join,
)
from portal.extensions import db
from portal.members.models import Profile
from tests.conftest import log_in

PAYLOADS = Path(__file__).parents[1].joinpath("data", "xss_payloads.txt").read_text().splitlines()
SQL_INJECTIONS = [
    "' OR '1'='1", "' OR 1=1 --", "\" OR \"\"=\"", "'; DROP TABLE users; --",
    "1; SELECT pg_sleep(5)",
    "%' UNION SELECT email, password_hash FROM users --", "admin'--", "') OR ('a'='a", "\\", "%",
    "_", "%%", "' AND 1=(SELECT COUNT(*) FROM users) --", "1' ORDER BY 99 --",
]


def test_the_corpus_is_large():
    assert len(set(PAYLOADS)) >= 200


def assert_escaped(page: str, payloads, where: str) -> None:
    for payload in payloads:
        if any(c in payload for c in "<>\"'"):
            assert payload not in page, f"{where}: unescaped {payload!r}"


def test_payloads_typed_into_forms_come_back_escaped(app, world, monkeypatch):
    client = app.test_client()
    log_in(client, world["member"])
    for payload in PAYLOADS:
        response = client.post("/me/profile", data={
            "country": "TR", "city": payload[:80], "occupation": payload[:120],
            "skills": payload, "languages": payload[:200], "phone": payload[:32]})
        assert response.status_code in (200, 302)
        assert_escaped(response.get_data(as_text=True), [payload], "profile form")
    for path in ("/councils/", "/staff/members"):
        for payload in PAYLOADS:
            page = client.get(path, query_string={"q": payload}).get_data(as_text=True)
            assert_escaped(page, [payload], path)
    proposer = app.test_client()
    log_in(proposer, world["outsider"])
    monkeypatch.setitem(app.config, "PROPOSALS_PER_DAY", 100)  # a proposal for each payload
    for payload in PAYLOADS[:60]:
        response = proposer.post("/councils/propose", data={
            "name": payload[:120], "country": "SE", "city": payload[:80], "description": payload})
        assert response.status_code in (200, 302)


def _store_payloads(app, world) -> None:
    """Every payload as a member's name and profile, a council's texts and a decision reason."""
    with app.test_request_context():
        council, leader = find_council(world["council"]), None
        for n, payload in enumerate(PAYLOADS):
            user = create_verified_user(f"x{n}@example.org", payload[:80], "long password",
                                        Role.MEMBER, "en")
            db.session.add(Profile(user=user, city=payload[:80], occupation=payload[:120],
                                   skills=payload, languages=payload[:200],
                                   shared_with_leaders=["display_name", "city", "occupation",
                                                        "skills", "languages"]))
            add_member(council, user)
            other = create_council(payload[:120], "DE", payload[:80], payload)
            decide_request(request_to_join(user, other), n % 2 == 0, payload[:1000], leader,
                           "other")
        db.session.commit()


def test_stored_payloads_are_escaped_on_every_page(app, world):
    _store_payloads(app, world)
    leader, staff, visitor = app.test_client(), app.test_client(), app.test_client()
    log_in(leader, world["leader"])
    log_in(staff, world["staff"])
    pages = [(visitor, "/councils/"), (leader, f"/councils/{world['council']}/members"),
             (staff, "/staff/councils/"), (staff, "/staff/audit")]
    pages += [(staff, f"/staff/members?page={n}") for n in range(1, 7)]
    for client, path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert_escaped(response.get_data(as_text=True), PAYLOADS, path)
    with app.app_context():
        from sqlalchemy import select

        from portal.councils.models import Council

        slugs = db.session.scalars(select(Council.slug)).all()
    for slug in slugs:
        assert_escaped(visitor.get(f"/councils/{slug}").get_data(as_text=True), PAYLOADS, slug)


@pytest.mark.parametrize("attack", SQL_INJECTIONS)
def test_sql_injection_in_every_search_and_filter(app, world, attack):
    staff, visitor = app.test_client(), app.test_client()
    log_in(staff, world["staff"])
    searches = [(visitor, "/councils/", {"q": attack})]
    for name in ("q", "city", "skills", "country", "council", "governorate"):
        searches.append((staff, "/staff/members", {name: attack}))
        searches.append((staff, "/staff/members.csv", {name: attack}))
    for name in ("action", "actor", "date_from", "date_to"):
        searches.append((staff, "/staff/audit", {name: attack}))
    # A query rewritten by the text would list rows that do not contain it literally.
    literal = attack.lower()
    rows = {"/councils/": ["Istanbul", "Berlin"], "/staff/audit": ["council.created"]}
    emails = [world[who] for who in ("member", "other_member", "leader", "outsider")
              if literal not in who]
    rows["/staff/members"] = [f"<bdi>{email}</bdi>" for email in emails]
    rows["/staff/members.csv"] = [f'"{email}"' for email in emails]
    for client, path, query in searches:
        response = client.get(path, query_string=query)
        assert response.status_code in (200, 400), (path, query, response.status_code)
        body = response.get_data(as_text=True)
        leaked = [row for row in rows[path] if row in body]
        assert not leaked and "$argon2" not in body, (path, query, leaked)
    assert staff.get("/staff/members").status_code == 200  # the tables are all still there

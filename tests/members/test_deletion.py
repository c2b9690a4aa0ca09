"""Delete my account: password check, anonymization, sessions ended, and a sweep of every table."""

import html

from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from portal.auth.models import Role, User
from portal.councils.services import (
    add_member,
    create_council,
    decide_request,
    propose_council,
    request_to_join,
)
from portal.extensions import db
from tests.conftest import PASSWORD, log_in

EMAIL = "member@example.org"
WRONG = "This is not your current password."


def register(client, email, locale="en", name="Someone"):
    return client.post("/auth/register", data={
        "email": email, "display_name": name, "password": PASSWORD,
        "password_confirm": PASSWORD, "locale": locale, "accept_privacy": "y"})


def stored_user(app, user_id) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def test_delete_page_asks_for_the_password(client, make_user):
    make_user(email=EMAIL)
    log_in(client, EMAIL)
    page = client.get("/me/delete?lang=en").get_data(as_text=True)
    assert 'type="password"' in page and 'name="password"' in page
    assert 'href="/me/data.json"' in page


def test_wrong_password_changes_nothing(app, client, make_user):
    user_id = make_user(email=EMAIL)
    log_in(client, EMAIL)
    for password in ("not my password", ""):
        response = client.post("/me/delete?lang=ckb", data={"password": password})
        assert response.status_code == 200
    with app.test_request_context(), force_locale("ckb"):
        assert gettext(WRONG) in html.unescape(
            client.post("/me/delete?lang=ckb", data={"password": "nope"}).get_data(as_text=True))
    user = stored_user(app, user_id)
    assert user.email == EMAIL and user.deleted_at is None
    assert client.get("/me").status_code == 200


def test_deleting_anonymizes_and_ends_every_session(app, client, make_user):
    user_id = make_user(email=EMAIL)
    other_device = app.test_client()
    client.post("/auth/login", data={"email": EMAIL, "password": PASSWORD, "remember": "y"})
    log_in(other_device, EMAIL)

    assert client.get_cookie("remember_token") is not None
    response = client.post("/me/delete?lang=en", data={"password": PASSWORD})
    assert response.headers["Location"] == "/"
    assert client.get_cookie("remember_token") is None
    assert "Your account is deleted" in client.get("/?lang=en").get_data(as_text=True)

    user = stored_user(app, user_id)
    assert user.email is None and user.password_hash is None and user.display_name == ""
    assert user.deleted_at is not None
    assert client.get("/me").status_code == 302
    assert other_device.get("/me").status_code == 302  # a captured cookie no longer works
    assert log_in(client, EMAIL).status_code == 200  # refused: the login form again
    assert client.get("/me").status_code == 302


def test_the_address_can_register_again(app, client, make_user):
    make_user(email=EMAIL)
    log_in(client, EMAIL)
    client.post("/me/delete", data={"password": PASSWORD})
    assert register(client, EMAIL).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id)).where(User.email == EMAIL)) == 1
        assert db.session.scalar(select(func.count(User.id))) == 2


TARGET = "Sweep.Target.7731@Diaspora-Test.example"
PHONE = "+46 70 555 01 23"
NAME = "Sweepname Qadiri"
NEEDLES = (TARGET.lower(), PHONE, "46705550123", NAME)


def places_mentioning_target() -> set[tuple[str, str]]:
    """Every (table, column) in which any row holds the target's address or phone, as text."""
    found = set()
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(select(table)):
            for column, value in zip(table.columns, row, strict=True):
                text = str(value).lower()
                if any(needle.lower() in text for needle in NEEDLES):
                    found.add((table.name, column.name))
    return found


def build_target_history(app, client, mailbox, deliver):
    """Register, confirm, fill in the profile, join councils, get mail of every kind."""
    register(client, TARGET, locale="sv", name=NAME)
    log_in(app.test_client(), TARGET, "a wrong password")  # counted by the brute-force guard
    deliver()
    client.post(mailbox.last_link(TARGET.lower()).split("localhost", 1)[1])
    log_in(client, TARGET)
    client.post("/me/profile", data={"country": "SE", "city": "Malmö", "phone": PHONE,
                                     "residence_status": "asylum_seeker",
                                     "documentation_needs": ["passport"]})
    client.post("/me/sharing", data={"shared": ["email", "phone", "city"]})
    with app.test_request_context():
        target = db.session.scalar(select(User).where(User.email == TARGET.lower()))
        leader = db.session.scalar(select(User).where(User.email == "leader@example.org"))
        malmo = create_council("Iraqi Council of Malmö", "SE", "Malmö")
        lund = create_council("Iraqi Council of Lund", "SE", "Lund")
        add_member(malmo, target, leader=True)
        add_member(lund, leader, leader=True)
        decide_request(request_to_join(target, lund), False, "Please join Malmö", leader,
                       "not_local")
        propose_council(target, "Iraqi Council of Uppsala", "SE", "Uppsala", "For students")
        db.session.commit()
    client.post("/auth/reset", data={"email": TARGET})  # queued, not yet delivered
    app.test_client().post("/auth/register", data={  # someone tries the address again
        "email": TARGET, "display_name": "X", "password": PASSWORD,
        "password_confirm": PASSWORD, "locale": "en", "accept_privacy": "y"})
    client.get("/me/data.json")
    staff = app.test_client()
    log_in(staff, "officer@example.org")
    for text in (TARGET, NAME, PHONE):  # staff look the member up and export the matches
        assert staff.get("/staff/members", query_string={"q": text}).status_code == 200
        assert staff.get("/staff/members.csv", query_string={"q": text}).status_code == 200


def test_sweep_finds_no_trace_after_deletion(app, client, mailbox, deliver, make_user):
    make_user(email="leader@example.org")
    make_user(email="officer@example.org", role=Role.STAFF)
    build_target_history(app, client, mailbox, deliver)
    with app.app_context():
        before = places_mentioning_target()
    assert {("users", "email"), ("profiles", "phone"), ("outbox_messages", "recipient"),
            ("users", "display_name")} <= before

    response = client.post("/me/delete", data={"password": PASSWORD})
    assert response.headers["Location"] == "/"

    with app.app_context():
        assert places_mentioning_target() == set()
        # Content stays, with an anonymous author; other people's data is untouched.
        assert db.session.scalar(select(func.count(User.id))) == 3
        assert set(db.session.scalars(select(User.email).where(User.deleted_at.is_(None)))) == \
            {"leader@example.org", "officer@example.org"}

"""Registration → verification mail (over real SMTP) → log in → log out."""

from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from tests.conftest import PASSWORD, log_in

EMAIL = "Noor.Hassan@Example.org"


def register(client, **changes):
    data = {"email": EMAIL, "display_name": "Noor Hassan", "password": PASSWORD,
            "password_confirm": PASSWORD, "locale": "ckb", "accept_privacy": "y"} | changes
    return client.post("/auth/register", data=data)


def test_register_verify_log_in_and_out(app, client, mailbox, deliver):
    response = register(client)
    assert response.status_code == 200
    assert "noor.hassan@example.org" in response.get_data(as_text=True).lower()

    assert deliver() == 1
    [mail] = mailbox.to("noor.hassan@example.org")
    assert mail["Content-Language"] == "ckb"  # written in the language the member chose
    link = mailbox.last_link("noor.hassan@example.org")
    path = link.split("localhost", 1)[1]

    # Not verified yet: logging in is refused with a way to get a new link.
    assert log_in(client, EMAIL).headers["Location"].endswith("/auth/verify/resend")

    assert client.get(path).status_code == 200  # GET only shows the button
    with app.app_context():
        assert db.session.scalar(select(User.email_verified_at)) is None
    assert client.post(path).headers["Location"].endswith("/auth/login")
    assert client.post(path).status_code == 400  # single use

    response = log_in(client, EMAIL)
    assert response.headers["Location"].endswith("/me")
    page = client.get("/me").get_data(as_text=True)
    assert "Noor Hassan" in page
    assert 'lang="ckb" dir="rtl"' in page

    assert client.get("/auth/logout").status_code == 405  # never on GET
    assert client.post("/auth/logout").headers["Location"].endswith("/")
    assert client.get("/me").status_code == 302


def test_stored_account(app, client, deliver):
    register(client)
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "noor.hassan@example.org"
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash
        assert user.privacy_version == app.config["PRIVACY_NOTICE_VERSION"]
        assert user.privacy_accepted_at is not None
        assert user.locale == "ckb"


def test_registering_a_taken_address_reveals_nothing(app, client, mailbox, deliver, make_user):
    make_user(email="noor.hassan@example.org")
    response = register(client)
    assert response.status_code == 200
    assert "noor.hassan@example.org" in response.get_data(as_text=True).lower()
    deliver()
    [mail] = mailbox.to("noor.hassan@example.org")
    assert "/auth/reset" in mail.get_content()
    with app.app_context():
        assert len(db.session.scalars(select(User)).all()) == 1


def test_wrong_password_is_refused(client, make_user):
    make_user()
    response = log_in(client, "member@example.org", "not the password")
    assert response.status_code == 200
    assert client.get("/me").status_code == 302


def test_logout_ends_the_session_everywhere(app, make_user):
    make_user()
    first, second = app.test_client(), app.test_client()
    log_in(first, "member@example.org")
    log_in(second, "member@example.org")
    first.post("/auth/logout")
    assert second.get("/me").status_code == 302  # a captured cookie no longer works


def test_login_redirects_only_to_local_pages(client, make_user):
    make_user()
    response = client.post("/auth/login?next=https://evil.example/x",
                           data={"email": "member@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/me"
    client.post("/auth/logout")
    response = client.post("/auth/login?next=/privacy",
                           data={"email": "member@example.org", "password": PASSWORD})
    assert response.headers["Location"] == "/privacy"

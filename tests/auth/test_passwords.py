"""Forgotten and changed passwords."""

from tests.conftest import PASSWORD, log_in

NEW_PASSWORD = "a new and long passphrase"


def test_reset_by_mail_is_single_use(client, mailbox, deliver, make_user):
    make_user()
    response = client.post("/auth/reset", data={"email": "member@example.org"})
    assert response.status_code == 200
    deliver()
    path = mailbox.last_link("member@example.org").split("localhost", 1)[1]
    assert client.get(path).status_code == 200
    data = {"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    assert client.post(path, data=data).headers["Location"].endswith("/auth/login")
    assert client.post(path, data=data).status_code == 400  # the link is used up
    assert log_in(client, "member@example.org", PASSWORD).status_code == 200  # old one refused
    assert log_in(client, "member@example.org", NEW_PASSWORD).status_code == 302


def test_reset_for_unknown_address_looks_the_same(client, mailbox, deliver):
    response = client.post("/auth/reset", data={"email": "nobody@example.org"})
    assert response.status_code == 200
    assert deliver() == 0


def test_forged_or_expired_links_are_refused(app, client, make_user):
    make_user()
    assert client.get("/auth/reset/not-a-token").status_code == 400
    assert client.get("/auth/verify/not-a-token").status_code == 400
    with app.test_request_context():
        from portal.security import make_token, read_token

        token = make_token("reset-password", {"uid": 1})
        assert read_token("verify-email", token, 3600) is None  # bound to its purpose
        assert read_token("reset-password", token, -1) is None  # expired


def test_change_password_ends_other_sessions(app, make_user):
    make_user()
    here, elsewhere = app.test_client(), app.test_client()
    log_in(here, "member@example.org")
    log_in(elsewhere, "member@example.org")
    response = here.post("/me/password", data={
        "current_password": PASSWORD, "password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD,
    })
    assert response.headers["Location"].endswith("/me/password")
    assert here.get("/me").status_code == 200
    assert elsewhere.get("/me").status_code == 302


def test_change_password_needs_the_current_one(app, client, make_user):
    make_user()
    log_in(client, "member@example.org")
    response = client.post("/me/password", data={
        "current_password": "wrong password", "password": NEW_PASSWORD,
        "password_confirm": NEW_PASSWORD,
    })
    assert "This is not your current password." in response.get_data(as_text=True)
    assert log_in(app.test_client(), "member@example.org", PASSWORD).status_code == 302

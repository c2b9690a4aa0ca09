"""Cookies, HSTS and CSRF token lifetime."""

import time

from tests.conftest import PASSWORD, log_in


def set_cookies(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def test_session_cookie_flags(app, client, make_user):
    make_user()
    response = client.post("/auth/login", data={"email": "member@example.org",
                                                 "password": PASSWORD})
    [cookie] = [c for c in set_cookies(response) if c.startswith("session=")]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain HTTP in development


def test_secure_cookies_and_hsts_over_https(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    monkeypatch.setitem(app.config, "REMEMBER_COOKIE_SECURE", True)
    make_user()
    response = client.post("/auth/login", data={"email": "member@example.org",
                                                 "password": PASSWORD, "remember": "y"},
                           base_url="https://localhost")
    cookies = set_cookies(response)
    assert all("Secure" in c for c in cookies if c.startswith(("session=", "remember_token=")))
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]


def test_csrf_token_outlives_a_long_survey(app, client, monkeypatch):
    """A token issued 40 minutes ago is still accepted: a leader's long form is not lost."""
    import re

    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    now = time.time()
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: now + 41 * 60)
    response = client.post("/auth/login", data={"csrf_token": token, "email": "a@example.org",
                                                "password": "whatever pass"})
    assert response.status_code == 200  # the form was processed, not refused for its token
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: now + 9 * 3600)
    expired = client.post("/auth/login", data={"csrf_token": token, "email": "a@example.org",
                                               "password": "whatever pass"})
    assert expired.status_code == 400


def test_the_session_cookie_is_not_rewritten_on_every_request(client, make_user):
    make_user()
    log_in(client, "member@example.org")
    client.get("/me")
    quiet = client.get("/councils/")
    assert "session=" not in quiet.headers.get("Set-Cookie", "")  # within the same minute

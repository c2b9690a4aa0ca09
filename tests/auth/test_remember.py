"""Remember-me tokens: made after a complete login only, random, stored as digests, rotated on
each use, expiring after 30 days, listed and revocable, revoked when sessions end."""

import hashlib
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.auth import services, totp
from portal.auth.models import RememberToken, Role, User
from portal.database import utcnow
from portal.extensions import db
from tests.conftest import PASSWORD, TOTP_SECRET, log_in

COOKIE = "remember_token"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"


def remembered_login(app):
    """A new device logged in with "keep me logged in"; returns it and its cookie."""
    client = app.test_client()
    response = client.post("/auth/login", headers={"User-Agent": FIREFOX}, data={
        "email": "member@example.org", "password": PASSWORD, "remember": "y"})
    assert response.status_code == 302
    return client, client.get_cookie(COOKIE).value


def device_with(app, cookie):
    """A browser holding only the cookie (the session cookie is gone, as after a restart)."""
    client = app.test_client()
    client.set_cookie(COOKIE, cookie)
    return client


def tokens(app) -> list[RememberToken]:
    with app.app_context():
        return list(db.session.scalars(select(RememberToken)))


def test_each_login_gets_its_own_random_cookie_stored_as_a_digest(app, make_user):
    make_user()
    first, second = remembered_login(app)[1], remembered_login(app)[1]
    assert first != second
    digests = {token.digest for token in tokens(app)}
    assert len(digests) == 2 and first not in digests
    secret = first.partition(".")[2]
    assert len(secret) == 43  # 256 bits in base64
    assert hashlib.sha256(secret.encode()).hexdigest() in digests


def test_the_cookie_is_httponly_lax_and_secure_over_https(app, client, make_user, monkeypatch):
    make_user()
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", True)
    response = client.post("/auth/login", base_url="https://localhost", data={
        "email": "member@example.org", "password": PASSWORD, "remember": "y"})
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith(COOKIE)]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    assert "Max-Age=2592000" in cookie  # 30 days


def test_a_cookie_restores_the_session_and_rotates(app, make_user):
    user_id = make_user()
    _, cookie = remembered_login(app)
    browser = device_with(app, cookie)
    assert browser.get("/me").status_code == 200
    with browser.session_transaction() as session:
        assert session["_user_id"] == f"{user_id}:1"  # the current session version
    rotated = browser.get_cookie(COOKIE).value
    assert rotated != cookie and rotated.partition(".")[0] == cookie.partition(".")[0]
    assert device_with(app, rotated).get("/me").status_code == 200


def test_a_replayed_cookie_fails_and_revokes_every_token(app, make_user):
    make_user()
    _, cookie = remembered_login(app)
    other_device, _ = remembered_login(app)
    owner = device_with(app, cookie)
    assert owner.get("/me").status_code == 200  # rotated: the old value is now used up
    thief = device_with(app, cookie)
    assert thief.get("/me").status_code == 302
    assert thief.get_cookie(COOKIE) is None  # dropped
    assert tokens(app) == []
    assert owner.get("/me").status_code == 302  # theft evidence: every session ends
    assert other_device.get("/me").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "remember.replayed")) is not None


def test_an_expired_cookie_fails(app, make_user):
    make_user()
    _, cookie = remembered_login(app)
    with app.app_context():
        token = db.session.scalar(select(RememberToken))
        token.expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    assert device_with(app, cookie).get("/me").status_code == 302
    assert tokens(app) == []


@pytest.mark.parametrize("cookie", ["garbage", "1.short", "1|forged-flask-login-cookie",
                                    "99999999999999999999." + "a" * 43])
def test_malformed_cookies_fail_quietly(app, make_user, cookie):
    make_user()
    remembered_login(app)
    assert device_with(app, cookie).get("/me").status_code == 302
    assert len(tokens(app)) == 1


def test_no_token_before_the_second_step(app, make_user):
    make_user()
    with app.app_context():
        totp.enable(db.session.scalar(select(User)), TOTP_SECRET)
        db.session.commit()
    client = app.test_client()
    response = client.post("/auth/login", data={"email": "member@example.org",
                                                "password": PASSWORD, "remember": "y"})
    assert response.headers["Location"].endswith("/auth/2fa/verify")
    assert client.get_cookie(COOKIE) is None and tokens(app) == []
    with app.app_context():
        db.session.scalar(select(User)).totp_last_step = 0
        db.session.commit()
    client.post("/auth/2fa/verify", data={"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert client.get_cookie(COOKIE) is not None and len(tokens(app)) == 1


def test_listed_on_the_password_page_and_revoked_one_by_one(app, make_user):
    make_user()
    here, cookie = remembered_login(app)
    _, other_cookie = remembered_login(app)
    page = here.get("/me/password?lang=en").get_data(as_text=True)
    assert "Firefox, Windows" in page
    [token_id] = {t.id for t in tokens(app)} - {int(cookie.partition(".")[0])}
    assert f'action="/auth/devices/{token_id}/revoke"' in page
    assert here.post(f"/auth/devices/{token_id}/revoke").headers["Location"] == "/me/password"
    assert device_with(app, other_cookie).get("/me").status_code == 302
    assert device_with(app, cookie).get("/me").status_code == 200  # the other one stays


def test_another_users_token_cannot_be_revoked(app, make_user):
    make_user()
    make_user(email="other@example.org")
    _, cookie = remembered_login(app)
    intruder = app.test_client()
    log_in(intruder, "other@example.org")
    intruder.post(f"/auth/devices/{cookie.partition('.')[0]}/revoke")
    assert len(tokens(app)) == 1


def end_by_logout(app, client):
    client.post("/auth/logout")


def end_by_password_change(app, client):
    client.post("/me/password", data={"current_password": PASSWORD, "password": "x" * 12 + "yz",
                                      "password_confirm": "x" * 12 + "yz"})


def end_by_service(change):
    def end(app, client):
        with app.test_request_context():
            change(db.session.scalar(select(User)))
            db.session.commit()
    return end


@pytest.mark.parametrize("end", [
    end_by_logout, end_by_password_change,
    end_by_service(lambda user: services.set_suspended(user, True)),
    end_by_service(lambda user: services.set_role(user, Role.STAFF)),
    end_by_service(lambda user: totp.enable(user, TOTP_SECRET)),
    end_by_service(lambda user: services.complete_reset(user, "another long password")),
], ids=["logout", "password change", "suspension", "role change", "2FA on", "reset"])
def test_revoked_when_sessions_end(app, make_user, end):
    make_user()
    client, cookie = remembered_login(app)
    end(app, client)
    assert tokens(app) == []
    assert device_with(app, cookie).get("/me").status_code == 302


def test_flask_logins_own_cookie_no_longer_logs_in(app, make_user):
    """A cookie Flask-Login issued before these tokens (signed, never expiring) is dropped."""
    from flask_login.utils import encode_cookie

    user_id = make_user()
    with app.test_request_context():
        legacy = encode_cookie(f"{user_id}:1")
    browser = device_with(app, legacy)
    assert browser.get("/me").status_code == 302
    assert browser.get_cookie(COOKIE) is None

"""Two-factor authentication: enrolment, codes used once, recovery codes, staff must use it;
session idle timeouts and lifetimes."""

import re
import time

import pyotp
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.auth import totp
from portal.auth.models import Role, User
from portal.extensions import db
from tests.conftest import PASSWORD, log_in


def enrol(client) -> tuple[str, list[str]]:
    page = client.get("/auth/2fa/setup").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in page
    secret = re.search(r'<code dir="ltr" class="secret">([A-Z2-7]+)</code>', page).group(1)
    response = client.post("/auth/2fa/setup", data={"code": pyotp.TOTP(secret).now(),
                                                    "password": PASSWORD})
    codes = re.findall(r"<li><code>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})</code></li>",
                       response.get_data(as_text=True))
    return secret, codes


def password_step(client, email="member@example.org"):
    return client.post("/auth/login", data={"email": email, "password": PASSWORD})


def test_enrol_then_log_in_with_a_code_used_once(app, client, make_user):
    make_user()
    other_device = app.test_client()
    log_in(client, "member@example.org")
    log_in(other_device, "member@example.org")
    bad = client.post("/auth/2fa/setup?lang=en", data={"code": "000000", "password": PASSWORD})
    assert "This code is not valid" in bad.get_data(as_text=True)
    secret, codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/me").status_code == 200  # this session goes on
    assert other_device.get("/me").status_code == 302  # a 2FA change ends the others

    fresh = app.test_client()
    assert password_step(fresh).headers["Location"].endswith("/auth/2fa/verify")
    assert fresh.get("/me").status_code == 302  # the password alone is not enough
    with app.app_context():  # the step the enrolment code belonged to, whatever the clock says
        enrolled_at = db.session.scalar(select(User)).totp_last_step
    enrolment_code = pyotp.TOTP(secret).generate_otp(enrolled_at)
    refused = fresh.post("/auth/2fa/verify?lang=en", data={"code": enrolment_code})
    assert "This code is not valid" in refused.get_data(as_text=True)  # enrolling spent it
    code = pyotp.TOTP(secret).generate_otp(enrolled_at + 1)  # the next step, within the drift
    assert fresh.post("/auth/2fa/verify", data={"code": code}).headers["Location"] == "/me"

    replay = app.test_client()
    password_step(replay)
    response = replay.post("/auth/2fa/verify?lang=en", data={"code": code})
    assert "This code is not valid" in response.get_data(as_text=True)  # used already
    assert replay.get("/me").status_code == 302


def test_recovery_codes_work_once(app, make_user):
    make_user()
    client = app.test_client()
    log_in(client, "member@example.org")
    _secret, codes = enrol(client)
    first = app.test_client()
    password_step(first)
    assert first.post("/auth/2fa/verify", data={"code": codes[0]}).status_code == 302
    assert first.get("/me").status_code == 200
    second = app.test_client()
    password_step(second)
    second.post("/auth/2fa/verify", data={"code": codes[0]})
    assert second.get("/me").status_code == 302
    with app.app_context():
        assert totp.remaining_recovery_codes(db.session.scalar(select(User))) == 9


def test_the_second_step_expires(app, client, make_user):
    make_user()
    log_in(client, "member@example.org")
    secret, _codes = enrol(client)
    client.post("/auth/logout")
    password_step(client)
    with client.session_transaction() as session:
        session["2fa_pending"] = session["2fa_pending"] | {"until": time.time() - 1}
    response = client.post("/auth/2fa/verify", data={"code": pyotp.TOTP(secret).now()})
    assert response.headers["Location"].endswith("/auth/login")


def test_members_can_turn_it_off_with_their_password(app, client, make_user):
    make_user()
    log_in(client, "member@example.org")
    enrol(client)
    client.post("/auth/2fa/disable", data={"password": "wrong password"})
    with app.app_context():
        assert db.session.scalar(select(User)).has_two_factor
    client.post("/auth/2fa/disable", data={"password": PASSWORD})
    with app.app_context():
        assert not db.session.scalar(select(User)).has_two_factor


def test_staff_must_enrol_before_anything_else(app, client, make_user):
    make_user(email="officer@momd.gov.iq", role=Role.STAFF)
    password_step(client, "officer@momd.gov.iq")  # no 2FA yet: logged in, but fenced
    for path in ("/staff/members", "/staff/councils/", "/me", "/councils/"):
        assert client.get(path).headers["Location"].endswith("/auth/2fa/setup"), path
    enrol(client)
    assert client.get("/staff/members").status_code == 200
    assert client.post("/auth/2fa/disable", data={"password": PASSWORD}).status_code == 403


def test_cli_sets_a_known_secret(app):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "ops@momd.gov.iq", "--role", "admin", "--name", "Ops",
        "--password-stdin", "--totp-secret", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"],
        input="long admin password\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(User)).totp_secret == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    bad = app.test_cli_runner().invoke(args=[
        "users", "create", "ops2@momd.gov.iq", "--name", "Ops", "--password-stdin",
        "--totp-secret", "JBSWY3DPEHPK3PXP"], input="long admin password\n")  # too short
    assert bad.exit_code != 0


def test_staff_sessions_end_after_30_idle_minutes(app, client, make_user):
    make_user(email="officer@momd.gov.iq", role=Role.STAFF)
    log_in(client, "officer@momd.gov.iq")
    assert client.get("/staff/members").status_code == 200
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 31 * 60
    response = client.get("/staff/members")
    assert "/auth/login" in response.headers["Location"]
    assert client.get("/me").status_code == 302


def test_member_sessions_have_an_absolute_lifetime(app, client, make_user):
    make_user()
    log_in(client, "member@example.org")
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 31 * 60  # idle half an hour: fine for members
    assert client.get("/me").status_code == 200
    with client.session_transaction() as session:
        session["auth_at"] = time.time() - 31 * 24 * 3600
    assert client.get("/me").status_code == 302


def test_staff_are_never_remembered(app, client, make_user):
    make_user(email="officer@momd.gov.iq", role=Role.STAFF)
    with app.app_context():
        user = db.session.scalar(select(User))
        user.totp_secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        db.session.commit()
    client.post("/auth/login", data={"email": "officer@momd.gov.iq", "password": PASSWORD,
                                     "remember": "y"})
    response = client.post("/auth/2fa/verify",
                           data={"code": pyotp.TOTP("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").now()})
    assert "remember_token" not in response.headers.get("Set-Cookie", "")


def test_an_outdated_hash_is_upgraded_before_the_second_step(app, client, make_user):
    """The password step commits the new hash, even though no session starts there."""
    from argon2 import PasswordHasher

    from portal.security import password_needs_rehash

    make_user()
    with app.app_context():
        user = db.session.scalar(select(User))
        user.password_hash = PasswordHasher(time_cost=2, memory_cost=8, parallelism=1).hash(
            PASSWORD)
        user.totp_secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        db.session.commit()
    assert password_step(client).headers["Location"].endswith("/auth/2fa/verify")
    with app.app_context():
        assert not password_needs_rehash(db.session.scalar(select(User.password_hash)))


def test_new_recovery_codes_replace_the_old_ones(app, client, make_user):
    make_user()
    log_in(client, "member@example.org")
    _secret, old_codes = enrol(client)
    page = client.get("/auth/2fa/setup?lang=en").get_data(as_text=True)
    assert "You have 10 unused recovery codes." in page
    response = client.post("/auth/2fa/recovery-codes", data={"codes-password": PASSWORD})
    new_codes = re.findall(r"<li><code>([a-z2-7]{4}(?:-[a-z2-7]{4}){3})</code></li>",
                           response.get_data(as_text=True))
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert client.get("/me").status_code == 200  # this session goes on
    for code, works in ((old_codes[1], False), (new_codes[0], True)):
        device = app.test_client()
        password_step(device)
        device.post("/auth/2fa/verify", data={"code": code})
        assert (device.get("/me").status_code == 200) is works
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "2fa.recovery_codes_replaced")) is not None


def test_the_secret_being_enrolled_never_travels_in_the_cookie(app, client, make_user):
    """The session cookie is signed, not encrypted: anyone holding it could read a secret."""
    make_user()
    log_in(client, "member@example.org")
    page = client.get("/auth/2fa/setup").get_data(as_text=True)
    secret = re.search(r'<code dir="ltr" class="secret">([A-Z2-7]+)</code>', page).group(1)
    cookie = client.get_cookie("session").value
    payload = app.session_interface.get_signing_serializer(app).loads(cookie)
    assert secret not in str(payload)
    assert client.get("/auth/2fa/setup").get_data(as_text=True).count(secret)  # kept, unchanged
    with app.app_context():
        assert db.session.scalar(select(User)).totp_pending_secret == secret

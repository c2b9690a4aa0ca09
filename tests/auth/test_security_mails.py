"""After each security event the account's address gets a mail in the account's language
(ASVS 6.3.7), delivered over real SMTP, with a way out if it was not the owner."""

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from portal.auth import totp
from portal.auth.models import Role, User
from portal.extensions import db
from tests.auth.test_two_factor import enrol
from tests.conftest import PASSWORD, TOTP_SECRET, log_in

EMAIL = "member@example.org"
NEW = "a new and long passphrase"


def with_two_factor(app):
    with app.app_context():
        totp.enable(db.session.scalar(select(User).where(User.email == EMAIL)), TOTP_SECRET)
        db.session.commit()


def change_password(app, client):
    log_in(client, EMAIL)
    client.post("/me/password", data={"current_password": PASSWORD, "password": NEW,
                                      "password_confirm": NEW})


def reset_password(app, client, mailbox, deliver):
    client.post("/auth/reset", data={"email": EMAIL})
    deliver()
    path = mailbox.last_link(EMAIL).split("localhost", 1)[1]
    client.post(path, data={"password": NEW, "password_confirm": NEW})


def enable(app, client):
    log_in(client, EMAIL)
    enrol(client)


def disable(app, client):
    with_two_factor(app)
    log_in(client, EMAIL)
    client.post("/auth/2fa/disable", data={"password": PASSWORD})


def new_recovery_codes(app, client):
    with_two_factor(app)
    log_in(client, EMAIL)
    client.post("/auth/2fa/recovery-codes", data={"codes-password": PASSWORD})


def reset_by_an_admin(app, client):
    with app.app_context():
        db.session.scalar(select(User).where(User.email == EMAIL)).role = Role.STAFF
        db.session.commit()
    with_two_factor(app)
    admin = app.test_client()
    log_in(admin, "admin@example.org")
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == EMAIL))
    admin.post(f"/staff/accounts/{user_id}/reset-2fa")


EVENTS = {
    "password changed": (change_password, "Your password was changed"),
    "password reset": (reset_password, "Your password was reset"),
    "2FA enabled": (enable, "Two-factor authentication is on"),
    "2FA disabled": (disable, "Two-factor authentication is off"),
    "recovery codes": (new_recovery_codes, "New recovery codes were made"),
    "2FA reset by an admin": (reset_by_an_admin, "Your two-factor authentication was reset"),
}


@pytest.mark.parametrize("event", EVENTS)
def test_security_events_are_mailed_in_the_accounts_language(app, client, mailbox, deliver,
                                                            make_user, event):
    act, subject = EVENTS[event]
    make_user(email=EMAIL, locale="de")
    make_user(email="admin@example.org", role=Role.ADMIN)
    if act is reset_password:
        act(app, client, mailbox, deliver)
    else:
        act(app, client)
    mailbox.messages.clear()
    deliver()
    with app.test_request_context(), force_locale("de"):
        expected = gettext(subject)
    assert expected != subject  # translated
    [mail] = [m for m in mailbox.to(EMAIL) if m["Subject"] == expected]
    assert mail["Content-Language"] == "de"
    assert "http://localhost/auth/reset" in mail.get_content()


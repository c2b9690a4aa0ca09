"""Pages that ask for the current password again count wrong guesses with the login (5 in 15
minutes lock the account), audit each one, and then refuse even the right password."""

import pyotp
import pytest
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.auth import totp
from portal.auth.models import RecoveryCode, User
from portal.extensions import db
from tests.conftest import PASSWORD, TOTP_SECRET, log_in

NEW = "a new and long passphrase"


def with_two_factor(app):
    with app.app_context():
        totp.enable(db.session.scalar(select(User)), TOTP_SECRET)
        db.session.commit()


def setup_form(password):
    return {"code": pyotp.TOTP(TOTP_SECRET).now(), "password": password}


def stored(app) -> User:
    with app.app_context():
        return db.session.scalar(select(User))


def recovery_digests(app) -> set[str]:
    with app.app_context():
        return set(db.session.scalars(select(RecoveryCode.digest)))


# path, form for a password, whether the account has 2FA first, what must not have changed
PAGES = {
    "change password": ("/me/password",
                        lambda pw: {"current_password": pw, "password": NEW,
                                    "password_confirm": NEW},
                        False, lambda app: stored(app).session_version),
    "delete account": ("/me/delete", lambda pw: {"password": pw}, False,
                       lambda app: stored(app).deleted_at),
    "enable 2FA": ("/auth/2fa/setup", setup_form, False,
                   lambda app: stored(app).totp_secret),
    "disable 2FA": ("/auth/2fa/disable", lambda pw: {"password": pw}, True,
                    lambda app: stored(app).totp_secret),
    "new recovery codes": ("/auth/2fa/recovery-codes", lambda pw: {"codes-password": pw}, True,
                           recovery_digests),
}


@pytest.mark.parametrize("page", PAGES)
def test_six_wrong_guesses_then_the_right_password_is_refused(app, client, make_user, page):
    path, form, two_factor, state = PAGES[page]
    make_user()
    if two_factor:
        with_two_factor(app)
    log_in(client, "member@example.org")
    before = state(app)
    for n in range(6):
        assert client.post(f"{path}?lang=en", data=form(f"wrong guess {n}")).status_code == 200
    response = client.post(f"{path}?lang=en", data=form(PASSWORD))
    assert response.status_code == 200
    assert "Too many failed attempts for this account" in response.get_data(as_text=True)
    assert state(app) == before
    with app.app_context():
        failures = db.session.scalar(select(func.count(AuditEvent.id)).where(
            AuditEvent.action == "password.confirm_failed"))
    assert failures == 7
    assert log_in(app.test_client(), "member@example.org").status_code == 200  # locked too


def test_a_wrong_password_is_named_on_the_form(client, make_user):
    make_user()
    log_in(client, "member@example.org")
    response = client.post("/me/delete?lang=en", data={"password": "wrong password"})
    assert "This is not your current password." in response.get_data(as_text=True)

"""Admins list the ministry's accounts and reset an officer's two-factor authentication, who
then enrols again at the next login; operators can do the same from the command line."""

from sqlalchemy import select

from portal.audit import AuditEvent
from portal.auth.models import Role, User
from portal.auth.services import create_verified_user
from portal.extensions import db
from tests.conftest import TOTP_SECRET, counted_statements, log_in


def officer(app, email="officer@momd.gov.iq") -> int:
    """A staff account with 2FA on; returns its id."""
    with app.app_context():
        user = create_verified_user(email, "Officer", "long staff password", Role.STAFF, "en")
        user.totp_secret = TOTP_SECRET
        db.session.commit()
        return user.id


def stored(app, user_id) -> User:
    with app.app_context():
        return db.session.get(User, user_id)


def test_an_admin_resets_an_officers_two_factor(app, world):
    officer_id = officer(app)
    officer_session = app.test_client()
    log_in(officer_session, "officer@momd.gov.iq", "long staff password")
    assert officer_session.get("/staff/members").status_code == 200
    admin = app.test_client()
    log_in(admin, world["admin"])
    page = admin.get("/staff/accounts/?lang=en").get_data(as_text=True)
    assert "officer@momd.gov.iq" in page and "outsider@example.org" not in page  # members not
    response = admin.post(f"/staff/accounts/{officer_id}/reset-2fa?lang=en")
    assert response.headers["Location"] == "/staff/accounts/"
    assert stored(app, officer_id).totp_secret is None
    assert officer_session.get("/staff/members").status_code == 302  # its sessions ended
    again = app.test_client()
    again.post("/auth/login", data={"email": "officer@momd.gov.iq",
                                    "password": "long staff password"})
    assert again.get("/staff/members").headers["Location"].endswith("/auth/2fa/setup")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "2fa.reset"))
        assert (event.actor_id, event.subject_id) == (world["ids"]["admin"], officer_id)


def test_members_are_not_reset_from_this_page(app, world):
    with app.app_context():
        db.session.get(User, world["ids"]["member"]).totp_secret = TOTP_SECRET
        db.session.commit()
    admin = app.test_client()
    log_in(admin, world["admin"])
    admin.post(f"/staff/accounts/{world['ids']['member']}/reset-2fa")
    assert stored(app, world["ids"]["member"]).totp_secret == TOTP_SECRET
    assert admin.post("/staff/accounts/99999/reset-2fa").status_code == 404


def officers(app, start, count):
    for n in range(start, start + count):
        officer(app, f"officer{n:03}@momd.gov.iq")


def listing_statements(app, client, page=1) -> tuple[int, str]:
    with app.app_context(), counted_statements() as statements:
        response = client.get(f"/staff/accounts/?page={page}")
        assert response.status_code == 200
    return len(statements), response.get_data(as_text=True)


def test_the_list_is_paginated_with_a_fixed_number_of_queries(app, client, world):
    log_in(client, world["admin"])
    officers(app, 0, 2)
    few, _ = listing_statements(app, client)
    officers(app, 2, 60)
    many, first = listing_statements(app, client)
    assert many == few
    rows = "<tr>\n      <td><bdi>"  # one per account: its name
    assert first.count(rows) == 50 and 'rel="next"' in first
    _, second = listing_statements(app, client, 2)
    assert second.count(rows) == 62 + 2 - 50  # 62 officers, the admin and the staff


def test_cli_resets_two_factor(app):
    officer_id = officer(app)
    result = app.test_cli_runner().invoke(args=["users", "reset-2fa", "Officer@MoMD.gov.iq"])
    assert result.exit_code == 0, result.output
    assert stored(app, officer_id).totp_secret is None
    again = app.test_cli_runner().invoke(args=["users", "reset-2fa", "officer@momd.gov.iq"])
    assert again.exit_code != 0
    assert "does not use two-factor authentication" in again.output

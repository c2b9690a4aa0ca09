"""One-time codes and unique addresses under concurrency: several sessions sending the same
thing at the same moment (threads, each with its own client and database session)."""

import threading

import pyotp
import pytest
from sqlalchemy import func, select

from portal.auth import services, totp
from portal.auth.models import User
from portal.extensions import db
from portal.mail import OutboxMessage
from tests.conftest import PASSWORD, TOTP_SECRET

SESSIONS = 4


def at_once(clients, path, data) -> list:
    """POST the same form from every client at the same moment; the responses (or errors)."""
    start, results = threading.Barrier(len(clients)), [None] * len(clients)

    def send(n):
        start.wait()
        try:
            results[n] = clients[n].post(path, data=data)
        except Exception as error:  # reported by the assertion below
            results[n] = error

    threads = [threading.Thread(target=send, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert all(getattr(r, "status_code", 500) < 500 for r in results), results
    return results


def half_logged_in_sessions(app) -> list:
    clients = [app.test_client() for _ in range(SESSIONS)]
    for client in clients:
        response = client.post("/auth/login", data={"email": "member@example.org",
                                                    "password": PASSWORD})
        assert response.headers["Location"].endswith("/auth/2fa/verify")
    return clients


@pytest.fixture
def recovery_codes(app, make_user) -> list[str]:
    """A member with 2FA on (a known secret); returns the recovery codes."""
    make_user()
    with app.app_context():
        codes = totp.enable(db.session.scalar(select(User)), TOTP_SECRET)
        db.session.commit()
    return codes


def signed_in(clients) -> int:
    return sum(client.get("/me").status_code == 200 for client in clients)


def test_one_recovery_code_lets_one_session_in(app, recovery_codes):
    clients = half_logged_in_sessions(app)
    at_once(clients, "/auth/2fa/verify", {"code": recovery_codes[0]})
    assert signed_in(clients) == 1


def test_one_totp_code_lets_one_session_in(app, recovery_codes):
    clients = half_logged_in_sessions(app)
    at_once(clients, "/auth/2fa/verify", {"code": pyotp.TOTP(TOTP_SECRET).now()})
    assert signed_in(clients) == 1


def test_registering_one_address_twice_at_once(app):
    clients = [app.test_client() for _ in range(SESSIONS)]
    data = {"email": "noor@example.org", "display_name": "Noor", "password": PASSWORD,
            "password_confirm": PASSWORD, "locale": "en", "accept_privacy": "y"}
    for response in at_once(clients, "/auth/register", data):
        assert response.status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1


def test_a_registration_losing_the_race_answers_as_for_a_taken_address(app, make_user,
                                                                      monkeypatch):
    """The other request wrote the row between our check and our insert."""
    make_user(email="noor@example.org")
    real, lookups = services.find_by_email, []

    def stale_first(email):
        lookups.append(email)
        return None if len(lookups) == 1 else real(email)

    monkeypatch.setattr(services, "find_by_email", stale_first)
    with app.test_request_context():
        assert services.register("noor@example.org", "Noor", PASSWORD, "en") is None
        db.session.commit()
        [mail] = db.session.scalars(select(OutboxMessage)).all()
        assert mail.subject == "You already have an account"
        assert db.session.scalar(select(func.count(User.id))) == 1

"""Enumeration by timing: every registration and login path does the same argon2 work (one
hash or one verification), so how long an answer takes tells nothing about an account."""

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.services import set_suspended
from portal.extensions import db
from tests.auth.test_journey import register
from tests.conftest import PASSWORD, counted_statements, log_in


@pytest.fixture
def argon2_calls(monkeypatch):
    """The names of the argon2 operations run, in order ("hash" or "verify")."""
    calls = []
    for name in ("hash", "verify"):
        original = getattr(PasswordHasher, name)

        def counted(self, *args, _original=original, _name=name, **kwargs):
            calls.append(_name)
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(PasswordHasher, name, counted)
    return calls


def test_registration_hashes_once_for_a_new_and_a_known_address(client, make_user,
                                                                argon2_calls):
    register(client, email="new@example.org")
    assert len(argon2_calls) == 1
    make_user(email="known@example.org")
    argon2_calls.clear()
    register(client, email="known@example.org")
    assert len(argon2_calls) == 1


def suspend(app, email):
    with app.test_request_context():
        set_suspended(db.session.scalar(select(User).where(User.email == email)), True)
        db.session.commit()


def delete_account(client, email):
    log_in(client, email)
    client.post("/me/delete", data={"password": PASSWORD})


@pytest.mark.parametrize("case", ["unknown", "wrong password", "suspended", "deleted",
                                  "blocked", "correct"])
def test_every_login_path_runs_one_argon2_operation(app, client, make_user, argon2_calls,
                                                    case):
    make_user()
    password = "not the password" if case == "wrong password" else PASSWORD
    email = "nobody@example.org" if case == "unknown" else "member@example.org"
    if case == "suspended":
        suspend(app, email)
    if case == "deleted":
        delete_account(app.test_client(), email)
    if case == "blocked":
        for n in range(5):
            log_in(app.test_client(), email, f"wrong guess {n}")
    argon2_calls.clear()
    response = client.post("/auth/login", data={"email": email, "password": password})
    assert len(argon2_calls) == 1, argon2_calls
    assert response.status_code == (302 if case == "correct" else 200)


def test_login_looks_the_address_up_through_its_unique_index(app, client, make_user):
    """Emails are stored normalized: no lower() around the column, which would scan users."""
    make_user()
    with app.app_context(), counted_statements() as statements:
        log_in(client, "Member@Example.org")
    lookups = [s for s in statements if "FROM users" in s and "email" in s.split("WHERE")[-1]]
    assert lookups and not any("lower(users.email)" in s for s in lookups)

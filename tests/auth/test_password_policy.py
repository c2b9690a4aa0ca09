"""The password policy: length, common passwords, the email's local part."""

import pytest

from portal.auth.passwords import common_passwords, password_problem
from tests.conftest import PASSWORD


def test_the_list_is_large_enough():
    assert len(common_passwords()) >= 10_000


@pytest.mark.parametrize("password", ["short", "x" * 129, "1234567890", "iloveyou12",
                                      "QWERTYUIOP", "leylahassan-2026"])
def test_refused(app, password):
    with app.test_request_context():
        assert password_problem(password, "leylahassan@example.org") is not None


@pytest.mark.parametrize("password", ["zqzqzqzqzq", "x" * 128, PASSWORD, "دجلة والفرات ٢٠٢٦",
                                      "all lowercase and no digits"])
def test_accepted_without_composition_rules(app, password):
    with app.test_request_context():
        assert password_problem(password, "leylahassan@example.org") is None


def test_register_refuses_a_common_password(client):
    response = client.post("/auth/register?lang=en", data={
        "email": "a@example.org", "display_name": "A", "password": "1234567890",
        "password_confirm": "1234567890", "locale": "en", "accept_privacy": "y"})
    assert "This password is too common" in response.get_data(as_text=True)


def test_change_password_refuses_the_email(client, make_user):
    from tests.conftest import log_in

    make_user(email="noor.hassan@example.org")
    log_in(client, "noor.hassan@example.org")
    response = client.post("/me/password?lang=en", data={
        "current_password": PASSWORD, "password": "noor.hassan is me",
        "password_confirm": "noor.hassan is me"})
    assert "Please do not build your password on your email address." in \
        response.get_data(as_text=True)


def test_cli_refuses_a_common_password(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "x@example.org", "--name", "X", "--password-stdin"],
        input="password123\n")
    assert result.exit_code != 0

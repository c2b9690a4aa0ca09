"""Bad input on each form: translated messages, typed values kept, nothing changed."""

import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from portal.auth.models import User
from portal.extensions import db
from portal.forms import length_message
from tests.conftest import PASSWORD, log_in

REQUIRED = "Please fill in this field."
BAD_EMAIL = "Please enter an email address such as name@example.com."
LENGTH = length_message(10, 128)


def translated(app, locale: str, message, **values) -> str:
    """``message`` in ``locale``: a msgid, or a lazy message such as LENGTH."""
    with app.test_request_context(), force_locale(locale):
        return gettext(message, **values) if isinstance(message, str) else str(message)


def value_of(page: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    return match.group(1) if match else None


@pytest.mark.parametrize("locale", ["ar", "ckb", "de"])
def test_register_errors_are_translated_and_values_kept(app, client, locale):
    response = client.post(f"/auth/register?lang={locale}", data={
        "email": "not-an-address", "display_name": "Ali  ", "password": "short",
        "password_confirm": "short", "locale": "sv",
    })
    page = response.get_data(as_text=True)
    assert translated(app, locale, BAD_EMAIL) in page
    assert translated(app, locale, LENGTH) in page
    assert translated(app, locale, "Please accept the privacy notice to register.") in page
    assert translated(app, locale, BAD_EMAIL) != BAD_EMAIL or locale == "en"
    assert value_of(page, "email") == "not-an-address"
    assert value_of(page, "display_name") == "Ali"
    assert value_of(page, "password") in (None, "")  # passwords are never sent back
    assert re.search(r'<option lang="sv" selected value="sv">', page)
    assert 'aria-describedby="email-error"' in page
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


@pytest.mark.parametrize(("field", "value"), [
    ("email", "x" * 250 + "@example.org"),
    ("display_name", "n" * 81),
    ("password", "p" * 129),
    ("locale", "xx"),
])
def test_register_refuses_out_of_bounds_values(app, client, field, value):
    data = {"email": "ok@example.org", "display_name": "Ok", "password": PASSWORD,
            "password_confirm": PASSWORD, "locale": "en", "accept_privacy": "y"}
    data[field] = value
    if field == "password":
        data["password_confirm"] = value
    response = client.post("/auth/register?lang=en", data=data)
    assert response.status_code == 200
    assert "error-summary" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0


def test_login_errors_keep_the_email(app, client):
    page = client.post("/auth/login?lang=tr", data={"email": "who@example.org", "password": ""}) \
        .get_data(as_text=True)
    assert translated(app, "tr", REQUIRED) in page
    assert value_of(page, "email") == "who@example.org"


def test_reset_request_errors(app, client):
    page = client.post("/auth/reset?lang=fa", data={"email": "nope"}).get_data(as_text=True)
    assert translated(app, "fa", BAD_EMAIL) in page
    assert value_of(page, "email") == "nope"


def test_resend_errors(app, client):
    page = client.post("/auth/verify/resend?lang=sv", data={"email": ""}).get_data(as_text=True)
    assert translated(app, "sv", REQUIRED) in page


def test_reset_password_form_errors(app, client, mailbox, deliver, make_user):
    make_user()
    client.post("/auth/reset", data={"email": "member@example.org"})
    deliver()
    path = mailbox.last_link("member@example.org").split("localhost", 1)[1]
    page = client.post(path + "?lang=ku", data={"password": "long enough pass",
                                                "password_confirm": "different pass"}) \
        .get_data(as_text=True)
    assert translated(app, "ku", "The passwords differ.") in page


def test_account_forms_errors(app, client, make_user):
    make_user()
    log_in(client, "member@example.org")
    page = client.post("/me/password?lang=ckb", data={"current_password": PASSWORD,
                                                      "password": "short",
                                                      "password_confirm": "short"}) \
        .get_data(as_text=True)
    assert translated(app, "ckb", LENGTH) in page
    page = client.post("/me/language", data={"locale": "zz"}).get_data(as_text=True)
    assert "error-summary" in page


def test_csrf_is_required(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/auth/login", data={"email": "a@example.org", "password": "x"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400

"""Public pages, health check and error pages."""

import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy.exc import OperationalError

from portal.extensions import db


@pytest.mark.parametrize("path", ["/", "/about", "/privacy", "/auth/login", "/auth/register"])
def test_layout_landmarks(client, path):
    page = client.get(path).get_data(as_text=True)
    assert 'class="skip-link" href="#main"' in page
    assert '<main id="main"' in page
    assert "<footer" in page and 'href="/privacy"' in page and 'href="/about"' in page
    # One script of our own, deferred, for progressive enhancement; nothing inline.
    assert re.findall(r"<script[^>]*>", page) == [
        '<script src="/static/js/forms.js" defer>']
    assert "https://" not in page.split("<body>")[0]  # no third-party assets


def test_home_invites_visitors(client):
    page = client.get("/?lang=en").get_data(as_text=True)
    assert 'href="/auth/register"' in page and 'href="/auth/login"' in page
    assert 'href="/councils/"' in page


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_an_unreachable_database(client, monkeypatch):
    def fail(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("down"))

    monkeypatch.setattr(db.session, "execute", fail)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] != "ok"


@pytest.mark.parametrize(("method", "path", "code"), [
    ("get", "/no/such/page", 404),
    ("get", "/auth/logout", 405),
    ("get", "/auth/verify/forged", 400),
])
def test_error_pages_are_translated_in_the_layout(app, client, method, path, code):
    response = getattr(client, method)(path + "?lang=ckb")
    page = response.get_data(as_text=True)
    assert response.status_code == code
    assert '<html lang="ckb" dir="rtl">' in page
    assert 'class="skip-link"' in page


def test_too_large_request(app, client):
    response = client.post("/auth/login?lang=de", data={"email": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    with app.test_request_context(), force_locale("de"):
        assert gettext("Too large") in response.get_data(as_text=True)


def test_server_error_page_hides_the_traceback(app, client, monkeypatch):
    def explode():
        raise RuntimeError("secret internals")

    monkeypatch.setitem(app.view_functions, "main.about", explode)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    response = client.get("/about?lang=sv")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "secret internals" not in page and "Traceback" not in page
    assert '<html lang="sv"' in page


def test_security_headers(client, make_user):
    from tests.conftest import log_in

    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-inline'" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    make_user()
    log_in(client, "member@example.org")
    assert client.get("/me").headers["Cache-Control"] == "no-store"


def test_quick_select_matches_wtforms(app):
    """The fast country list renders what WTForms' own widget would, selection included, in a
    list or in option groups."""
    from wtforms import Form, SelectChoice, SelectField

    from portal.forms import QuickSelect

    listed = [SelectChoice("", "—"), SelectChoice("SE", "Sverige"), SelectChoice("TR", "<T&R>")]
    grouped = [SelectChoice("SE", "Sverige", optgroup="Nordic & more"),
               SelectChoice("TR", "<T&R>", optgroup="<Other>"),
               SelectChoice("IR", "Iran", optgroup="<Other>")]
    for choices in (listed, grouped):

        class Plain(Form):
            country = SelectField(choices=choices)

        class Quick(Form):
            country = SelectField(choices=choices, widget=QuickSelect())

        for data in ({"country": "TR"}, {"country": "<x>"}, {}):
            plain, quick = Plain(data=data), Quick(data=data)
            assert str(quick.country()) == str(plain.country())

"""/me/data: the content of /me/data.json as a page in the member's language."""

import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.auth.models import User
from portal.auth.services import security_mail
from portal.councils.services import add_member, create_council
from portal.extensions import db
from portal.i18n import country_name
from tests.conftest import log_in

EMAIL = "member@example.org"
PROFILE = {"country": "DE", "city": "Köln", "governorate": "IQ-BG", "year_left": "2015",
           "occupation": "<b>Engineer</b>", "skills": "", "languages": "", "phone": "",
           "residence_status": "temporary_permit", "documentation_needs": ["passport"]}
# Codes the JSON holds that a reader must never meet on the page.
CODES = ["IQ-BG", "temporary_permit", "national_id", "login.succeeded", "member.data_exported",
         "User", ">pending<", ">approved<", ">DE<", ">en<"]


@pytest.fixture
def member(app, client, make_user):
    user_id = make_user(email=EMAIL, name="Noor")
    log_in(client, EMAIL)
    client.post("/me/profile", data=PROFILE)
    with app.test_request_context():
        user = db.session.get(User, user_id)
        add_member(create_council("Iraqi Council of Cologne", "DE", "Köln"), user)
        security_mail(user, "password_changed")
        db.session.commit()
    return user_id


def labels(app, locale):
    with app.test_request_context(), force_locale(locale):
        return [country_name("DE")] + [gettext(text) for text in (
            "Baghdad", "Temporary residence permit", "Iraqi passport", "Member", "Successful login",
            "Your data shown or downloaded", "Waiting to be sent", "English")]


def exports(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).where(
            AuditEvent.action == "member.data_exported"))


@pytest.mark.parametrize("locale", ["en", "ar"])
def test_the_page_names_every_code_in_the_readers_language(app, client, member, locale):
    client.get("/me/data.json")  # so that the page lists an earlier export
    response = client.get(f"/me/data?lang={locale}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    missing = [label for label in labels(app, locale) if label not in page]
    assert not missing, missing
    assert not [code for code in CODES if code in page]
    assert not re.search(r"\d{4}-\d\d-\d\dT", page)  # no ISO timestamps: dates are written out
    assert 'href="/me/data.json"' in page


def test_arabic_and_english_pages_differ(app, client, member):
    english, arabic = (client.get(f"/me/data?lang={code}").get_data(as_text=True)
                       for code in ("en", "ar"))
    assert "Baghdad" in english and "بغداد" in arabic and "Baghdad" not in arabic


def test_what_the_member_wrote_is_isolated_and_escaped(client, member):
    page = client.get("/me/data?lang=ar").get_data(as_text=True)
    assert "<bdi>Köln</bdi>" in page
    assert "<bdi>&lt;b&gt;Engineer&lt;/b&gt;</bdi>" in page
    assert '<a href="/councils/' in page and "<bdi>Iraqi Council of Cologne</bdi>" in page


def test_each_view_is_audited_like_a_download(app, client, member):
    before = exports(app)
    client.get("/me/data")
    assert exports(app) == before + 1
    client.get("/me/data.json")
    assert exports(app) == before + 2


def test_the_account_page_links_to_it(client, member):
    assert 'href="/me/data"' in client.get("/me").get_data(as_text=True)

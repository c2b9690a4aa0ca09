"""The account pages through the client: the overview, profile, sharing, my councils, language,
time zone, password and devices, download my data."""

import html
import json
import re
from datetime import date

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.auth.models import User
from portal.councils.services import create_council, decide_request, request_to_join
from portal.extensions import db
from portal.forms import length_message
from portal.members.models import Profile
from tests.conftest import log_in

EMAIL = "member@example.org"
CHOOSE = "Please choose one of the options."
BETWEEN = "Please enter a number between %(min)s and %(max)s."
WHOLE = "Please enter a whole number, such as 2015."
PHONE = ("Please enter a phone number of 6 to 20 digits; you may use +, spaces, dashes and "
         "brackets.")
VALID = {"country": "DE", "city": "Berlin", "governorate": "IQ-BG", "year_left": "2015",
         "occupation": "Engineer", "skills": "", "languages": "Arabic", "phone": "",
         "residence_status": "", "documentation_needs": []}

# Every members route, with the method that reaches it; a new route must be added here.
# The pages of the account's parts: GET shows the form, POST saves.
PAGES = ["/me/profile", "/me/sharing", "/me/password", "/me/language", "/me/time-zone"]
ROUTES = [("get", "/me"), *((method, path) for path in PAGES for method in ("get", "post")),
          ("get", "/me/councils"), ("get", "/me/data.json"), ("get", "/me/data"),
          ("get", "/me/delete"), ("post", "/me/delete")]


def translated(app, locale, message, **values):
    """``message`` in ``locale``: a msgid, or a lazy message such as length_message(0, 80)."""
    with app.test_request_context(), force_locale(locale):
        return gettext(message, **values) if isinstance(message, str) else str(message)


def value_of(page, name):
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    return match.group(1) if match else None


def profile(app) -> Profile | None:
    with app.app_context():
        return db.session.scalar(select(Profile))


@pytest.fixture
def member(client, make_user):
    user_id = make_user(email=EMAIL, name="Noor")
    log_in(client, EMAIL)
    return user_id


def test_every_members_route_is_listed(app):
    listed = {path for _method, path in ROUTES}
    rules = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("members.")}
    assert rules == listed


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_anonymous_visitors_are_sent_to_log_in(client, method, path):
    response = getattr(client, method)(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_profile_is_saved(app, client, member):
    data = VALID | {"phone": "+49 (30) 123-4567", "residence_status": "asylum_seeker",
                    "documentation_needs": ["passport", "national_id"]}
    response = client.post("/me/profile", data=data)
    assert response.headers["Location"] == "/me/profile"
    saved = profile(app)
    assert (saved.country, saved.city, saved.governorate, saved.year_left) == \
        ("DE", "Berlin", "IQ-BG", 2015)
    assert saved.phone == "+49 (30) 123-4567" and saved.skills is None
    assert saved.residence_status == "asylum_seeker"
    assert saved.documentation_needs == ["passport", "national_id"]
    page = client.get("/me/profile?lang=en").get_data(as_text=True)
    assert "Your profile is saved." in page
    assert '<option selected value="IQ-BG">Baghdad</option>' in page
    assert re.search(r'<input checked[^>]*value="asylum_seeker"', page)


def test_sensitive_questions_are_explained_before_they_are_asked(client, member):
    page = client.get("/me/profile?lang=en").get_data(as_text=True)
    heading = page.index("Sensitive questions")
    explanation = page.index("seen only by the ministry's staff, never by council leaders")
    assert heading < explanation < page.index('name="residence_status"')
    why_documents = page.index("Why we ask about documents")
    assert page.index('name="residence_status"') < why_documents \
        < page.index('name="documentation_needs"')
    assert "<script>" not in page and "style=" not in page  # nothing inline


@pytest.mark.parametrize("locale", ["ar", "de"])
@pytest.mark.parametrize(("field", "value", "message", "values"), [
    ("country", "XX", CHOOSE, {}),
    ("governorate", "IQ-ZZ", CHOOSE, {}),
    ("city", "c" * 81, length_message(0, 80), {}),
    ("year_left", "1800", BETWEEN, {"min": 1950, "max": date.today().year}),
    ("year_left", "soon", WHOLE, {}),
    ("occupation", "o" * 121, length_message(0, 120), {}),
    ("skills", "s" * 2001, length_message(0, 2000), {}),
    ("languages", "l" * 201, length_message(0, 200), {}),
    ("residence_status", "tourist", CHOOSE, {}),
    ("documentation_needs", ["visa"], CHOOSE, {}),
])
def test_bad_profile_input_is_refused(app, client, member, locale, field, value, message,
                                      values):
    client.post("/me/profile", data=VALID)
    response = client.post(f"/me/profile?lang={locale}",
                           data=VALID | {"city": "Hamburg", "phone": "+49 40 1234567",
                                         field: value})
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert "error-summary" in page
    assert translated(app, locale, message, **values) in page
    if field != "city":
        assert value_of(page, "city") == "Hamburg"  # what was typed is kept
        assert value_of(page, "phone") == "+49 40 1234567"
    saved = profile(app)
    assert (saved.city, saved.phone, saved.country, saved.year_left) == \
        ("Berlin", None, "DE", 2015)


@pytest.mark.parametrize("phone", ["call me", "12345", "+1 " + "2" * 21, "+1 (555) 1234x",
                                   "5" * 33])
def test_bad_phone_numbers_are_refused(app, client, member, phone):
    response = client.post("/me/profile?lang=en", data=VALID | {"phone": phone})
    assert response.status_code == 200
    assert PHONE in html.unescape(response.get_data(as_text=True))
    assert profile(app) is None


def test_sharing_choice(app, client, member):
    page = client.get("/me/sharing?lang=en").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="shared"[^>]*value="display_name"', page)
    assert re.search(r'<input checked[^>]*name="shared"[^>]*value="city"', page)

    response = client.post("/me/sharing", data={"shared": ["email", "phone"]})
    assert response.headers["Location"] == "/me/sharing"
    assert profile(app).shared_with_leaders == ["email", "phone"]

    response = client.post("/me/sharing?lang=de", data={"shared": ["residence_status"]})
    assert response.status_code == 200
    assert translated(app, "de", CHOOSE) in html.unescape(response.get_data(as_text=True))
    assert profile(app).shared_with_leaders == ["email", "phone"]

    client.post("/me/sharing", data={})
    assert profile(app).shared_with_leaders == []


def test_my_councils(app, client, member, make_user):
    with app.test_request_context():
        user = db.session.get(User, member)
        leader = db.session.get(User, make_user(email="leader@example.org"))
        home = create_council("Iraqi Council of Berlin", "DE", "Berlin")
        refused = create_council("Iraqi Council of Malmö", "SE", "Malmö")
        waiting = create_council("Iraqi Council of Oslo", "NO", "Oslo")
        decide_request(request_to_join(user, home), True, "", leader)
        decide_request(request_to_join(user, refused), False, "Only for <b>Malmö</b>", leader,
                       "not_local")
        request_to_join(user, waiting)
        db.session.commit()
        slugs = home.slug, refused.slug, waiting.slug
    page = client.get("/me/councils?lang=en").get_data(as_text=True)
    for slug in slugs:
        assert f'href="/councils/{slug}"' in page
    assert "home council" in page
    assert "Only for &lt;b&gt;Malmö&lt;/b&gt;" in page  # escaped, never run as HTML
    assert f'action="/councils/{slugs[0]}/leave"' in page
    assert f'action="/councils/{slugs[2]}/leave"' in page  # withdraw a pending request
    assert f'action="/councils/{slugs[1]}/leave"' not in page
    assert f'action="/councils/{slugs[0]}/home"' not in page  # already home


def test_download_my_data(app, client, member):
    client.post("/me/profile", data=VALID | {"residence_status": "citizen"})
    response = client.get("/me/data.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == "attachment; filename=my-data.json"
    assert response.headers["Cache-Control"] == "no-store"
    data = json.loads(response.get_data(as_text=True))
    assert set(data) >= {"account", "consents", "profile", "memberships", "audit_events"}
    assert data["account"]["email"] == EMAIL
    assert data["profile"]["residence_status"] == "citizen"
    with app.app_context():
        assert "member.data_exported" in db.session.scalars(select(AuditEvent.action)).all()

"""Every form sent back with errors, in every language: no English sentence that the
catalogue translates, a translated summary that names each field."""

import pytest
from flask_babel import force_locale, gettext

from portal.i18n import LOCALES
from tests.conftest import log_in
from tests.main.test_translated_pages import english_sentences

# (who sends it, the form's address, what is sent): each answer is refused.
FORMS = [
    (None, "/auth/register", {"email": "not an address", "password": "short"}),
    (None, "/auth/login", {"email": "", "password": ""}),
    (None, "/auth/reset", {"email": "nope"}),
    (None, "/auth/verify/resend", {"email": ""}),
    ("member", "/me/profile", {"year_left": "1800", "phone": "abc", "country": "XX"}),
    ("member", "/me/sharing", {"shared": ["residence_status"]}),
    ("member", "/me/password", {"current_password": "", "password": "x"}),
    ("member", "/me/delete", {"password": ""}),
    ("member", "/auth/2fa/setup", {"code": "12", "password": ""}),
    ("member", "/councils/propose", {"name": "", "country": "XX"}),
    ("staff", "/staff/councils/new", {"country": "", "default_locale": "ar"}),
]


@pytest.mark.parametrize("locale", [code for code in LOCALES if code != "en"])
def test_forms_with_errors_are_translated(app, world, locale):
    sentences = english_sentences(locale)
    clients = {None: app.test_client()}
    for who in ("member", "staff"):
        clients[who] = app.test_client()
        log_in(clients[who], world[who])
    with app.test_request_context(), force_locale(locale):
        heading = gettext("Please correct the following:")
    for who, path, data in FORMS:
        response = clients[who].post(f"{path}?lang={locale}", data=data)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, (path, response.status_code)
        assert heading in page, (path, locale)
        untranslated = [s for s in sentences if s in page]
        assert not untranslated, f"{path} in {locale}: {untranslated[:3]}"


def test_each_line_of_the_summary_names_its_field(app, client):
    page = client.post("/auth/register?lang=en", data={}).get_data(as_text=True)
    assert '<a href="#email">Email address: Please fill in this field.</a>' in page
    assert '<a href="#display_name">Display name: Please fill in this field.</a>' in page

"""The account's overview at /me, and one page per part: GET shows the form, POST saves and
comes back to the same page, errors come back with what was typed."""

import html
import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.services import find_by_email
from portal.councils.services import (
    add_member,
    create_council,
    find_council,
    request_to_join,
    set_home,
)
from portal.extensions import db
from tests.conftest import PASSWORD, TOTP_SECRET, log_in

# Each part's page, the heading it opens with and a field of its form.
PARTS = [("/me/profile", "My profile", "city"),
         ("/me/sharing", "What council leaders can see", "shared"),
         ("/me/password", "Password and devices", "current_password"),
         ("/me/language", "Language", "locale"),
         ("/me/time-zone", "Time zone", "time_zone")]


def heading(app, locale: str, text: str) -> str:
    with app.test_request_context(), force_locale(locale):
        return html.escape(gettext(text), quote=False)


def test_the_overview_says_what_is_set_and_links_every_part(app, client, world):
    with app.test_request_context():
        member = find_by_email(world["member"])
        member.totp_secret, member.time_zone = TOTP_SECRET, "Europe/Berlin"
        waiting = create_council("Iraqi Council of <Oslo>", "NO", "Oslo")
        request_to_join(member, waiting)  # not counted: not a member yet
        set_home(member, find_council(world["council"]))
        db.session.commit()
    log_in(client, world["member"])
    page = client.get("/me?lang=en").get_data(as_text=True)
    assert "<bdi>Member</bdi>" in page and "<bdi>member@example.org</bdi>" in page
    assert 'Your home council: <a href="/councils/' in page
    assert '<bdi lang="en">Iraqi Council of Istanbul</bdi>' in page
    assert "You belong to 1 council." in page
    assert 'lang="en" dir="ltr">English</p>' in page
    assert "Berlin" in page and "Automatic" not in page
    assert "Two-factor authentication is on for your account." in page
    for path in ("/me/profile", "/me/sharing", "/me/councils", "/me/password", "/me/language",
                 "/me/time-zone", "/auth/2fa/setup", "/me/data", "/me/data.json", "/me/delete"):
        assert f'href="{path}' in page
    assert "<form" not in page.split("<main")[1]  # the forms are on the parts' own pages


def test_a_new_member_sees_the_automatic_zone_and_no_council(client, make_user):
    make_user()
    log_in(client, "member@example.org")
    page = client.get("/me?lang=en").get_data(as_text=True)
    assert "You have not joined a council yet." in page and "home council" not in page
    assert "Automatic: " in page
    assert "Protect your account with a code from your phone" in page


@pytest.mark.parametrize(("path", "title", "name"), PARTS)
def test_each_part_is_a_page_with_its_form(app, client, world, path, title, name):
    log_in(client, world["member"])
    page = client.get(f"{path}?lang=ckb").get_data(as_text=True)
    assert f"<title>{heading(app, 'ckb', title)}" in page
    assert f'<h1 id="page-title">{heading(app, "ckb", title)}</h1>' in page
    assert f'action="{path}"' in page and f'name="{name}"' in page
    assert 'href="/me"' in page


@pytest.mark.parametrize(("path", "data"), [
    ("/me/profile", {"city": "c" * 81, "occupation": "Teacher"}),
    ("/me/sharing", {"shared": ["display_name", "residence_status"]}),
    ("/me/password", {"current_password": PASSWORD, "password": "short",
                      "password_confirm": "short"}),
    ("/me/language", {"locale": "zz"}),
    ("/me/time-zone", {"time_zone": "Mars/Olympus"}),
])
def test_errors_come_back_on_the_same_page(app, client, world, path, data):
    log_in(client, world["member"])
    response = client.post(f"{path}?lang=de", data=data)
    assert response.status_code == 200
    page = html.unescape(response.get_data(as_text=True))
    assert "error-summary" in page and f'action="{path}"' in page
    if path == "/me/profile":
        assert 'value="Teacher"' in page  # nothing typed is lost


def test_saving_comes_back_to_the_page_with_a_message(client, world):
    log_in(client, world["member"])
    response = client.post("/me/sharing?lang=en", data={"shared": ["city"]},
                           follow_redirects=True)
    assert response.request.path == "/me/sharing"
    assert "Your choice of what council leaders can see is saved." in response.text


def test_the_language_page_saves_and_says_so_in_the_new_language(app, client, world):
    log_in(client, world["member"])
    assert re.search(r'<option [^>]*selected value="en"', client.get("/me/language").text)
    response = client.post("/me/language", data={"locale": "de"})
    assert response.headers["Location"] == "/me/language"
    page = client.get("/me/language").text
    assert '<html lang="de"' in page and "Ihre Sprache ist gespeichert." in page
    with app.app_context():
        assert db.session.scalar(select(User.locale).where(User.email == world["member"])) \
            == "de"


def test_the_councils_page_keeps_the_home_and_leave_actions(app, client, world):
    with app.test_request_context():
        second = create_council("Iraqi Council of Bonn", "DE", "Bonn")
        add_member(second, find_by_email(world["member"]))
        db.session.commit()
        slug = second.slug
    log_in(client, world["member"])
    page = client.get("/me/councils?lang=en").text
    assert '<h1 id="page-title">My councils</h1>' in page
    assert f'action="/councils/{slug}/home"' in page  # the first council is home already
    assert f'action="/councils/{world["council"]}/leave"' in page

"""Counts in each language's plural forms, numbers in each language's digits (shown and typed),
places with the locale's comma, lists as each language writes them."""

import re

import pytest
from flask_babel import force_locale, ngettext
from markupsafe import Markup
from sqlalchemy import select

from portal.auth import totp
from portal.auth.forms import CodeForm, EnableTwoFactorForm, RegisterForm
from portal.auth.models import Role, User
from portal.auth.services import create_verified_user
from portal.councils.services import add_member, create_council, find_council
from portal.extensions import db
from portal.forms import length_message, number_message
from portal.i18n import format_list, format_number, place
from portal.members.forms import ProfileForm
from portal.members.models import Profile
from tests.conftest import PASSWORD, TOTP_SECRET, log_in

MEMBERS = ("%(number)s member", "%(number)s members")


def members(app, locale: str, count: int) -> str:
    with app.test_request_context(), force_locale(locale):
        return ngettext(*MEMBERS, count, number=format_number(count))


def test_arabic_has_a_form_for_each_cldr_category(app):
    shown = [members(app, "ar", n) for n in (0, 1, 2, 3, 11, 100)]
    assert shown == ["لا أعضاء", "عضو واحد", "عضوان", "3 أعضاء", "11 عضوًا", "100 عضو"]


def test_english_and_german_say_one_member_and_two_members(app):
    assert [members(app, "en", n) for n in (1, 2)] == ["1 member", "2 members"]
    assert [members(app, "de", n) for n in (1, 2)] == ["1 Mitglied", "2 Mitglieder"]
    assert members(app, "ckb", 12) == "١٢ ئەندام"


@pytest.mark.parametrize(("locale", "count", "shown"), [
    ("en", 11, "11 members"), ("ar", 11, "11 عضوًا"), ("ckb", 11, "١١ ئەندام"),
    ("fa", 11, "۱۱ عضو"), ("sv", 11, "11 medlemmar"),
])
def test_the_directory_counts_members_in_the_readers_plural(app, client, world, locale, count,
                                                            shown):
    with app.test_request_context():
        council = find_council(world["council"])  # it has a member and a leader already
        for n in range(count - 2):
            add_member(council, create_verified_user(f"m{n}@example.org", "M", PASSWORD,
                                                     Role.MEMBER, "en"))
        db.session.commit()
    page = client.get(f"/councils/?lang={locale}").get_data(as_text=True)
    assert shown in page
    with app.test_request_context(), force_locale(locale):
        fewer = ngettext("fewer than %(number)s member", "fewer than %(number)s members", 10,
                         number=format_number(10))
    assert fewer in page  # Berlin's two


def test_recovery_codes_are_counted_in_the_readers_digits(app, client, make_user):
    user_id = make_user()
    with app.app_context():
        totp.enable(db.session.get(User, user_id), TOTP_SECRET)
        db.session.commit()
    log_in(client, "member@example.org")
    page = client.get("/auth/2fa/setup?lang=ckb").get_data(as_text=True)
    assert "١٠ کۆدی گەڕاندنەوەی بەکارنەهێنراوتان ماوە." in page
    page = client.get("/auth/2fa/setup?lang=en").get_data(as_text=True)
    assert "You have 10 unused recovery codes." in page


@pytest.mark.parametrize(("locale", "low", "high"), [
    ("ckb", "١٠", "١٢٨"), ("fa", "۱۰", "۱۲۸"), ("ar", "10", "128"), ("en", "10", "128"),
])
def test_bounds_in_validator_messages_use_the_readers_digits(app, locale, low, high):
    """The same digits as the hints beside the fields ("At least ١٠ characters")."""
    with app.test_request_context(method="POST", data={"password": "short"}), \
            force_locale(locale):
        form = RegisterForm()
        form.validate()
        message = form.password.errors[0]
        assert message == str(length_message(10, 128))
        assert low in message and high in message
        assert re.search("[0-9]", message) is None or locale in ("ar", "en")


def test_at_most_and_number_range_messages(app):
    with app.test_request_context(), force_locale("ckb"):
        assert "٨٠" in str(length_message(0, 80))
        # Years are not grouped: ١٩٥٠, never ١٬٩٥٠.
        assert "١٩٥٠" in str(number_message(1950, 2026)) and "٢٠٢٦" in str(
            number_message(1950, 2026))
    with app.test_request_context(), force_locale("en"):
        assert str(number_message(1950, 2026)) == "Please enter a number between 1950 and 2026."
        assert str(length_message(0, 1)) == "Please use at most 1 character."
        assert str(length_message(0, 2000)) == "Please use at most 2,000 characters."


@pytest.mark.parametrize("typed", ["١٩٩٥", "۱۹۹۵", "1995", " ١٩٩٥ "])
def test_the_year_left_is_read_in_any_digits(app, client, make_user, typed):
    make_user()
    log_in(client, "member@example.org")
    response = client.post("/me/profile", data={"year_left": typed, "phone": "+۴۹ (۳۰) ۱۲۳۴-۵۶۷"})
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.scalar(select(Profile))
        assert (saved.year_left, saved.phone) == (1995, "+49 (30) 1234-567")


def test_numeric_inputs_are_text_inputs_with_a_numeric_keyboard(app):
    with app.test_request_context(), force_locale("ar"):
        year = ProfileForm(formdata=None).year_left()
        phone = ProfileForm(formdata=None).phone()
        enrolment = EnableTwoFactorForm(formdata=None).code()
    assert 'type="text"' in year and 'inputmode="numeric"' in year
    assert 'type="tel"' in phone
    assert 'inputmode="numeric"' in enrolment


def test_a_year_typed_in_arabic_digits_is_kept_when_the_form_comes_back(app):
    with app.test_request_context(method="POST", data={"year_left": "١٨٠٠"}), \
            force_locale("ckb"):
        form = ProfileForm()
        assert not form.validate()
        assert form.year_left.data == 1800
        assert 'value="١٨٠٠"' in form.year_left()
        assert "١٩٥٠" in form.year_left.errors[0]


@pytest.mark.parametrize("form_class", [CodeForm, EnableTwoFactorForm])
def test_two_factor_codes_typed_in_arabic_or_persian_digits_become_ascii(app, form_class):
    with app.test_request_context(method="POST", data={"code": "١٢٣ ۴۵۶", "password": "x"}):
        form = form_class()
        form.validate()
        assert form.code.data == "123 456"


def test_a_place_is_written_with_the_locales_comma(app, client):
    with app.test_request_context():
        council = create_council("Iraqi Council of Istanbul", "TR", "Istanbul")
        db.session.commit()
        slug = council.slug
    page = client.get(f"/councils/{slug}?lang=ar").get_data(as_text=True)
    assert '<bdi lang="en">Istanbul</bdi>، تركيا' in page
    page = client.get(f"/councils/{slug}?lang=de").get_data(as_text=True)
    assert '<bdi lang="en">Istanbul</bdi>, Türkei' in page
    with app.test_request_context(), force_locale("fa"):
        assert place("<b>", "SE") == Markup("<bdi>&lt;b&gt;</bdi>، سوئد")
        assert place(None, "SE") == "سوئد"


def test_lists_are_written_as_the_readers_language_writes_them(app):
    with app.test_request_context():
        with force_locale("en"):
            assert format_list(["Arabic", "Kurdish", "English"]) == "Arabic, Kurdish, and English"
        with force_locale("ar"):
            assert format_list(["أ", "ب", "ج"]) == "أ وب وج"
        with force_locale("de"):
            assert format_list(["<i>", Markup("<bdi>x</bdi>")]) == "&lt;i&gt; und <bdi>x</bdi>"


def test_the_staff_search_lists_a_members_councils_as_a_list(app, world):
    staff = app.test_client()
    log_in(staff, world["staff"])
    with app.test_request_context():
        user = db.session.get(User, world["ids"]["member"])
        add_member(find_council(world["other_council"]), user)
        db.session.commit()
    page = staff.get("/staff/members?lang=ar&q=member@example.org").get_data(as_text=True)
    assert ('<bdi lang="en">Iraqi Council of Berlin</bdi> و<bdi lang="en">Iraqi Council of '
            'Istanbul</bdi>') in page or ('<bdi lang="en">Iraqi Council of Istanbul</bdi> و'
                                          '<bdi lang="en">Iraqi Council of Berlin</bdi>') in page

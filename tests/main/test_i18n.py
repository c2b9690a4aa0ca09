"""Languages: lang/dir on every page, negotiation, remembered choice, complete catalogues."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, gettext, lazy_gettext

from portal.i18n import LOCALES, negotiate
from tests.conftest import log_in

ROOT = Path(__file__).resolve().parents[2]
RTL = {"ar", "ckb", "fa"}


@pytest.mark.parametrize("locale", LOCALES)
def test_home_in_every_locale(app, client, locale):
    page = client.get(f"/?lang={locale}").get_data(as_text=True)
    direction = "rtl" if locale in RTL else "ltr"
    assert f'<html lang="{locale}" dir="{direction}">' in page
    with app.test_request_context(), force_locale(locale):
        assert gettext("The community councils of Iraqis abroad") in page
        assert locale == "en" or gettext("Register") != "Register"


def test_default_is_arabic(client):
    assert '<html lang="ar" dir="rtl">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(("header", "expected"), [
    ("ckb-IQ,ar;q=0.8", "ckb"),  # Werkzeug's best_match would pick ar
    ("ku-TR,tr;q=0.9", "ku"),
    ("sv-SE,sv;q=0.9,en;q=0.5", "sv"),
    ("de-AT", "de"),
    ("fr-FR,fa;q=0.5", "fa"),
    ("fr-FR", "ar"),
    ("", "ar"),
    ("en-GB;q=0.3,tr;q=0.9", "tr"),
])
def test_accept_language(client, header, expected):
    page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{expected}"' in page


def test_negotiate_unit():
    assert negotiate(["ckb-IQ", "ar"], "ar") == "ckb"
    assert negotiate(["xx"], "ar") == "ar"


def test_lang_parameter_is_remembered_in_a_cookie(client):
    response = client.get("/?lang=sv")
    assert "lang=sv" in response.headers["Set-Cookie"]
    assert '<html lang="sv"' in client.get("/about").get_data(as_text=True)
    # An explicit choice beats Accept-Language.
    page = client.get("/", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert '<html lang="sv"' in page


def test_unknown_lang_parameter_is_ignored(client):
    response = client.get("/?lang=<script>")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers


def test_a_get_with_lang_stores_nothing_for_a_signed_in_person(app, client, make_user):
    """?lang= on a GET only changes the page shown; no cookie, no write to the account."""
    make_user(locale="en")
    log_in(client, "member@example.org")
    response = client.get("/static/css/portal.css?lang=ku")
    assert "lang=" not in response.headers.get("Set-Cookie", "")
    assert '<html lang="ku"' in client.get("/me?lang=ku").get_data(as_text=True)
    assert '<html lang="en"' in client.get("/me").get_data(as_text=True)


def test_the_language_menu_saves_the_choice_by_post(app, client, make_user):
    make_user(locale="en")
    log_in(client, "member@example.org")
    page = client.get("/councils/?q=x").get_data(as_text=True)
    assert 'action="/me/language"' in page and 'value="/councils/?q=x"' in page
    response = client.post("/me/language", data={"locale": "ku", "next": "/councils/?q=x"})
    assert response.headers["Location"] == "/councils/?q=x"
    other_device = app.test_client()
    log_in(other_device, "member@example.org")
    assert '<html lang="ku" dir="ltr">' in other_device.get("/me").get_data(as_text=True)
    for elsewhere in ("https://evil.com/", "//evil.com", "/\\evil.com"):
        response = client.post("/me/language", data={"locale": "ar", "next": elsewhere})
        assert response.headers["Location"] == "/me/language"


@pytest.mark.parametrize("path", ["/%5Cevil.com", "/%5C%5Cevil.com/x", "/%2F%2Fevil.com"])
def test_language_links_on_an_error_page_stay_on_this_site(client, path):
    page = client.get(path).get_data(as_text=True)
    links = re.findall(r'<a href="([^"]*lang=[^"]*)"', page)
    assert len(links) == 8
    assert all(link.startswith("/?lang=") for link in links), links


def test_language_links_ignore_query_names_url_for_would_obey(client):
    page = client.get("/councils/?_external=1&_scheme=javascript&endpoint=x&q=a")
    assert page.status_code == 200
    links = re.findall(r'href="([^"]*lang=ckb[^"]*)"', page.get_data(as_text=True))
    assert links == ["/councils/?q=a&amp;lang=ckb"]


def test_saved_choice_beats_the_cookie(client, make_user):
    make_user(locale="de")
    client.get("/?lang=sv")
    log_in(client, "member@example.org")
    assert '<html lang="de"' in client.get("/me").get_data(as_text=True)


def test_switcher_names_each_language_in_itself_and_keeps_the_query(client):
    page = client.get("/auth/login?next=/me").get_data(as_text=True)
    for autonym in ("العربية", "کوردی (سۆرانی)", "Kurdî (Kurmancî)", "Svenska", "فارسی"):
        assert autonym in page
    assert 'href="/auth/login?next=/me&amp;lang=ckb"' in page
    link = re.search(r'<a href="[^"]*lang=ckb"[^>]*>', page).group(0)
    assert 'lang="ckb"' in link and 'dir="rtl"' in link


def test_numbers_use_each_locale_digits(app):
    from portal.i18n import format_number

    with app.test_request_context():
        with force_locale("fa"):
            assert format_number(1234) == "۱٬۲۳۴"
        with force_locale("ckb"):
            assert format_number(12) == "١٢"
        with force_locale("de"):
            assert format_number(1234) == "1.234"
        with force_locale("ar"):
            assert format_number(12) == "12"  # CLDR's default for ar is Latin digits


def test_country_names_come_from_cldr(app):
    from portal.i18n import country_choices, country_name

    with app.test_request_context(), force_locale("de"):
        assert country_name("SE") == "Schweden"
        codes = [code for code, _ in country_choices()]
        assert "IQ" not in codes and "TR" in codes and len(codes) > 200


def _extracted(tmp_path) -> list:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [Path(sys.executable).parent / "pybabel", "-q", "extract", "-F", "babel.cfg",
         "-k", "_l", "-o", str(pot), "."],
        cwd=ROOT, check=True,
    )
    with pot.open("rb") as f:
        return [m for m in read_po(f) if m.id]


def _extracted_ids(tmp_path) -> set[str]:
    return {m.id for m in _extracted(tmp_path)}


def test_every_template_with_translated_text_is_extracted(tmp_path):
    """The extractor skips, silently, a template using a tag it does not know (babel.cfg
    names the app's Jinja extensions): its strings would drop out of the catalogues."""
    found = {path for message in _extracted(tmp_path) for path, _line in message.locations}
    marked = {str(path.relative_to(ROOT)) for path in (ROOT / "portal").rglob("templates/**/*")
              if path.suffix in (".html", ".txt")
              and re.search(r"_\(|\{% *trans", path.read_text(encoding="utf-8"))}
    assert marked - found == set()


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_is_complete(tmp_path, locale):
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f)
    present = {m.id: m for m in catalogue if m.id}
    missing = _extracted_ids(tmp_path) - present.keys()
    assert not missing, f"{locale} lacks {sorted(map(str, missing))[:5]}"
    untranslated = [m.id for m in present.values()
                    if not (m.string if isinstance(m.string, str) else all(m.string))]
    assert not untranslated, f"{locale} leaves untranslated {untranslated[:5]}"
    assert not [m.id for m in present.values() if m.fuzzy], f"{locale} has fuzzy entries"


def test_the_catalogue_held_for_a_request_follows_a_forced_language(app):
    """A page in English that mails an Arabic reader: lazy strings and gettext read the
    catalogue the request holds, and force_locale must still switch it and switch back."""
    label = lazy_gettext("Log in")
    with app.test_request_context("/?lang=en"):
        assert str(label) == gettext("Log in") == "Log in"
        with force_locale("ar"):
            assert str(label) == gettext("Log in") != "Log in"
        assert str(label) == "Log in"


# Digits joined to Latin letters (a round's label, 2026-Q4) are reordered by right-to-left text
# ("Q4-2026") unless isolated, as the catalogues isolate Latin tokens: U+2068 … U+2069.
MIXED_TOKEN = re.compile(r"(?<![\u2068\w])\d[\w.]*-[A-Za-z][\w-]*")


@pytest.mark.parametrize("locale", sorted(RTL))
def test_digits_joined_to_latin_letters_are_isolated_in_right_to_left_text(locale):
    with (ROOT / "translations" / locale / "LC_MESSAGES" / "messages.po").open("rb") as f:
        catalogue = read_po(f)
    texts = [text for m in catalogue if m.id
             for text in (m.string if isinstance(m.string, tuple) else (m.string,))]
    assert not [text for text in texts if MIXED_TOKEN.search(text or "")]

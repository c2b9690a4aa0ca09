"""A service people can trust: no promise of what is not built, an official identity, and a
contact page that says how to recognise the real portal."""

import re
from html.parser import HTMLParser

import pytest

from portal.config import from_environment
from portal.main.contact import office_hours, tel_uri

# Features these pages do not offer (council posts, issue 12; needs reports are for leaders
# only), as the pages would name them.
PROMISES = {
    "en": r"discussion|\bposts?\b|needs report|report\w* (the|their) [\w' ]*needs",
    "ar": r"نقاش|منشور|احتياجات جالي|يرفع",
}


class VisibleText(HTMLParser):
    """The text a reader sees (and hears): element content and alt/title/aria-label."""

    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_starttag(self, tag, attrs):
        self.parts += [value for name, value in attrs
                       if name in ("alt", "title", "aria-label") and value]

    def handle_data(self, data):
        self.parts.append(data)


def visible_text(page: str) -> str:
    parser = VisibleText()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


@pytest.mark.parametrize("locale", sorted(PROMISES))
@pytest.mark.parametrize("path", ["/", "/about", "/auth/register"])
def test_pages_promise_only_what_exists(client, path, locale):
    text = visible_text(client.get(f"{path}?lang={locale}").get_data(as_text=True))
    assert not re.search(PROMISES[locale], text, re.IGNORECASE), \
        re.search(PROMISES[locale], text, re.IGNORECASE).group(0)


def test_the_check_would_catch_the_old_promises():
    assert re.search(PROMISES["en"], "take part in your council's discussion")
    assert re.search(PROMISES["en"], "Council leaders report the needs of their community")
    assert re.search(PROMISES["ar"], "والمشاركة في نقاش مجلسكم")


@pytest.mark.parametrize("path", ["/", "/councils/", "/auth/login", "/contact", "/no/such"])
def test_every_page_shows_the_emblem_and_links_to_contact(client, path):
    page = client.get(path).get_data(as_text=True)
    footer = page[page.index("<footer"):]
    assert 'href="/contact"' in footer
    brand = re.search(r'<a class="brand".*?</a>', page, re.DOTALL).group(0)
    assert 'src="/static/img/emblem.svg"' in brand
    assert "Ministry of Migration and Displaced" in client.get("/?lang=en").get_data(as_text=True)


def test_the_emblem_and_favicon_are_our_own_drawings(client):
    emblem = client.get("/static/img/emblem.svg")
    favicon = client.get("/static/favicon.svg").get_data(as_text=True)
    assert emblem.mimetype == "image/svg+xml"
    assert "<title" in emblem.get_data(as_text=True)
    assert "#0b5d3b" in favicon and "<circle" not in favicon  # no longer the person icon
    emblem.close()


def test_contact_page(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CONTACT_ADDRESS", "شارع فلسطين، بغداد")
    monkeypatch.setitem(app.config, "CONTACT_PHONE", "+964 (1) 555-0100")
    monkeypatch.setitem(app.config, "CONTACT_EMAIL", "info@momd.example")
    monkeypatch.setitem(app.config, "CONTACT_HOURS", "sun-thu 08:00-14:00")
    monkeypatch.setitem(app.config, "PORTAL_BASE_URL", "https://portal.momd.example:8443/x")
    page = client.get("/contact?lang=en").get_data(as_text=True)
    assert "<bdi>شارع فلسطين، بغداد</bdi>" in page
    assert '<a href="tel:+96415550100" dir="ltr">+964 (1) 555-0100</a>' in page
    assert '<a href="mailto:info@momd.example" dir="ltr">info@momd.example</a>' in page
    assert "Sunday to Thursday, 8:00\u202fAM to 2:00\u202fPM" in page
    assert '<strong dir="ltr">portal.momd.example</strong>' in page
    assert "never asks for your password" in page
    assert 'alt="Emblem of the Ministry of Migration and Displaced"' in page


def test_contact_page_in_arabic(client):
    page = client.get("/contact?lang=ar").get_data(as_text=True)
    assert "الأحد" in page and "الخميس" in page  # CLDR day names
    assert "Sunday" not in page


@pytest.mark.parametrize("setting", ["every weekday", "mon-xyz 08:00-14:00", "sun-thu 25:00-26:00"])
def test_office_hours_in_another_shape_are_shown_as_written(app, setting):
    with app.test_request_context():
        assert office_hours(setting) == setting


def test_tel_uri_keeps_only_digits_and_plus():
    assert tel_uri("+964 (1) 555-0100") == "tel:+96415550100"


def test_contact_settings_come_from_the_environment(tmp_path, monkeypatch):
    for name in ("CONTACT_ADDRESS", "CONTACT_PHONE", "CONTACT_EMAIL", "CONTACT_HOURS"):
        monkeypatch.delenv(name, raising=False)
    demo = from_environment(str(tmp_path))
    assert "Demo" in demo["CONTACT_ADDRESS"] and "Baghdad" in demo["CONTACT_ADDRESS"]
    assert demo["CONTACT_EMAIL"].endswith(".example")  # a reserved domain (RFC 2606)
    monkeypatch.setenv("CONTACT_PHONE", "+964 770 123 4567")
    monkeypatch.setenv("CONTACT_HOURS", "sat-wed 09:00-15:00")
    configured = from_environment(str(tmp_path))
    assert configured["CONTACT_PHONE"] == "+964 770 123 4567"
    assert configured["CONTACT_HOURS"] == "sat-wed 09:00-15:00"

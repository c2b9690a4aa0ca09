"""A visitor's journey through a real browser, with JavaScript off as on many cheap phones."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "mountain river lantern"


def test_register_confirm_log_in_and_out(page, mailbox, deliver):
    page.goto("/")
    assert page.locator("html").get_attribute("dir") == "rtl"  # Arabic by default

    languages = page.get_by_role("navigation", name="اللغة")
    languages.locator("summary").click()  # a <details> menu: opens without JavaScript
    languages.get_by_role("link", name="Svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    page.get_by_role("main").get_by_role("link", name="Skapa konto").first.click()

    page.get_by_label("E-postadress").fill("leyla@example.org")
    page.get_by_label("Visningsnamn").fill("Leyla Ahmed")
    page.get_by_label("Lösenord", exact=True).fill(PASSWORD)
    page.get_by_label("Upprepa lösenordet").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button").click()
    # Forgot to accept the privacy notice: told so, and what was typed is still there.
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.get_by_label("E-postadress").input_value() == "leyla@example.org"
    assert page.get_by_label("Visningsnamn").input_value() == "Leyla Ahmed"

    page.get_by_label("Lösenord", exact=True).fill(PASSWORD)
    page.get_by_label("Upprepa lösenordet").fill(PASSWORD)
    page.locator("#accept_privacy").check()
    page.get_by_role("main").get_by_role("button").click()
    expect(page.get_by_role("main")).to_contain_text("leyla@example.org")

    assert deliver() == 1
    page.goto(mailbox.last_link("leyla@example.org"))
    page.get_by_role("main").get_by_role("button").click()

    page.get_by_label("E-postadress").fill("leyla@example.org")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button").click()
    expect(page).to_have_url(re.compile(r"/me$"))
    expect(page.get_by_role("main")).to_contain_text("Leyla Ahmed")

    page.get_by_role("banner").get_by_role("button").click()  # log out (a POST form)
    page.goto("/me")
    assert "/auth/login" in page.url

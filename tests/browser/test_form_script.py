"""The form script, with JavaScript on: required fields checked before sending, in the page's
language and with the server's own messages, so typed passwords are not lost; a "show
password" button. Without JavaScript the server checks, as the other journeys show."""

import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def scripted(app, browser, live_url):
    context = browser.new_context(base_url=live_url, locale="ar")
    app.config["WTF_CSRF_ENABLED"] = True
    yield context.new_page()
    app.config["WTF_CSRF_ENABLED"] = False
    context.close()


def test_a_missing_consent_keeps_the_passwords(scripted):
    page = scripted
    page.goto("/auth/register?lang=ar")
    page.locator("#email").fill("new@example.org")
    page.locator("#display_name").fill("Noor")
    page.locator("#password").fill(PASSWORD)
    page.locator("#password_confirm").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    summary = page.locator(".error-summary")
    assert summary.is_visible() and page.evaluate("document.activeElement.className") \
        == "error-summary"
    text = summary.inner_text()
    assert "يُرجى تصحيح ما يلي:" in text and "يُرجى الموافقة على إشعار الخصوصية" in text
    assert page.url.endswith("/auth/register?lang=ar")  # nothing was sent
    assert page.locator("#password").input_value() == PASSWORD
    assert page.locator("#accept_privacy").get_attribute("aria-invalid") == "true"


def test_show_password(scripted):
    page = scripted
    page.goto("/auth/login?lang=en")
    page.locator("#password").fill("secret words")
    toggle = page.get_by_role("button", name="Show password")
    toggle.click()
    assert page.locator("#password").get_attribute("type") == "text"
    page.get_by_role("button", name="Hide password").click()
    assert page.locator("#password").get_attribute("type") == "password"
    assert page.locator("#password").get_attribute("dir") == "ltr"

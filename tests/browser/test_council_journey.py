"""A member asks to join a council in Sorani; its leader approves; a ministry officer sets up
two-factor authentication and finds the member. Real Chromium, JavaScript off."""

import re

import pyotp
import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, email):
    page.goto("/auth/login?lang=en")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()


def test_join_and_approve(browser, live_url, page, world, mailbox, deliver):
    log_in(page, world["outsider"])
    page.goto("/councils/?lang=ckb")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_role("link", name="Iraqi Council of Istanbul").click()
    page.get_by_role("main").get_by_role("button").click()  # ask to join
    page.goto("/me/councils?lang=en")
    assert "Waiting for a decision" in page.get_by_role("main").inner_text()

    leader = browser.new_context(base_url=live_url, java_script_enabled=False).new_page()
    log_in(leader, world["leader"])
    leader.goto(f"/councils/{world['council']}/members?lang=en")
    request_form = leader.locator("form.decision").filter(has_text="Outsider")
    request_form.get_by_label("Note (optional)").fill("Welcome to the council")
    request_form.get_by_role("button", name="Approve").click()
    expect(leader.get_by_role("main")).to_contain_text("The request is approved.")
    leader.context.close()

    deliver()
    assert "Welcome to the council" in mailbox.to(world["outsider"])[-1].get_content()
    page.goto("/me/councils?lang=en")
    assert "Waiting for a decision" not in page.get_by_role("main").inner_text()


def test_officer_sets_up_two_factor_and_searches(page, world):
    log_in(page, "staff@example.org")
    expect(page).to_have_url(re.compile(r"/auth/2fa/setup$"))  # nothing else until 2FA is on
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    secret = page.locator("code.secret").inner_text()
    page.get_by_label("Code shown by the app").fill(pyotp.TOTP(secret).now())
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button").click()
    codes = page.get_by_role("main").locator("li code")
    expect(codes).to_have_count(10)
    assert all(re.fullmatch(r"[a-z2-7]{4}(-[a-z2-7]{4}){3}", c) for c in codes.all_inner_texts())

    page.goto("/staff/members?lang=en")
    page.get_by_label("Name, email address or phone number").fill("member")
    page.get_by_role("main").get_by_role("button").first.click()
    expect(page.get_by_role("main")).to_contain_text("member@example.org")

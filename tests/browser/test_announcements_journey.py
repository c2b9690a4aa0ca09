"""An officer (two-factor authentication done) writes an announcement in Arabic, Turkish and
English for the members in Türkiye, is refused a first time for a missing text, previews and
publishes it; a member of the Istanbul council reads it in Arabic on a 360 px phone; a member
in Germany sees nothing of it. Each page on the way: no sideways scrolling, 44 px targets, no
WCAG 2.1 A/AA violation that axe-core finds."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_layout import check, listed, phone, reading_in, sign_in  # noqa: F401

pytestmark = pytest.mark.browser

TEXTS = {
    "ar": ("زيارة قنصلية إلى إسطنبول", "يزور فريق القنصلية مقر المجلس يوم **السبت**."),
    "tr": ("İstanbul'a konsolosluk ziyareti", "Konsolosluk ekibi **cumartesi** günü geliyor."),
    "en": ("A consular visit to Istanbul", "The consular team visits on **Saturday**."),
}


def officer_publishes(officer, found: dict) -> str:
    officer.goto("/staff/announcements/new?lang=ar")
    officer.locator("#default_locale").select_option("ar")
    for code, (title, body) in TEXTS.items():
        if code != "ar":
            officer.locator(f"#title_{code}").fill(title)
            officer.locator(f"#body_{code}").fill(body)
    officer.locator("input[name=audience][value=countries]").check()
    officer.locator("#countries").select_option(["TR"])
    officer.locator("button[name=action][value=publish]").click()
    expect(officer.locator(".flash--error")).to_be_visible()  # no Arabic text yet
    expect(officer.locator("#title_en")).to_have_value(TEXTS["en"][0])  # nothing lost
    check(found, officer, "the officer's form, refused")
    officer.locator("#title_ar").fill(TEXTS["ar"][0])
    officer.locator("#body_ar").fill(TEXTS["ar"][1])
    officer.locator("button[name=action][value=preview]").click()
    expect(officer.locator("#preview-title")).to_be_visible()
    expect(officer.locator(".preview .prose strong").first).to_have_text("السبت")
    check(found, officer, "the preview")
    officer.locator("button[name=action][value=publish]").click()
    expect(officer.locator(".flash--success")).to_be_visible()
    check(found, officer, "the published announcement's page for staff")
    officer.goto("/staff/announcements/?lang=ar")
    check(found, officer, "the staff's list")
    return officer.url


def test_an_announcement_for_turkiye_read_in_arabic_and_unseen_in_germany(app, world, phone):  # noqa: F811
    reading_in(app, world, "ar", "staff", "member", "other_member")
    found = {}
    officer, member, elsewhere = phone("ar"), phone("ar"), phone("ar")
    sign_in(app, officer, world["staff"])
    sign_in(app, member, world["member"])  # the Istanbul council
    sign_in(app, elsewhere, world["other_member"])  # the Berlin council
    officer_publishes(officer, found)

    member.goto("/?lang=ar")
    link = member.get_by_role("link", name=TEXTS["ar"][0])
    expect(link).to_be_visible()
    check(found, member, "the member's home")
    link.click()
    expect(member.locator("h1")).to_have_text(TEXTS["ar"][0])
    expect(member.locator("article.announcement")).to_have_attribute("dir", "rtl")
    expect(member.locator("article .prose strong")).to_have_text("السبت")
    address = member.url
    check(found, member, "the announcement")
    member.goto("/announcements/?lang=ar")
    check(found, member, "the member's list")

    elsewhere.goto("/announcements/?lang=ar")
    expect(elsewhere.locator("main")).not_to_contain_text(TEXTS["ar"][0])
    assert elsewhere.goto(address).status == 404
    assert re.search(r"/announcements/\d+$", address)
    assert not found, listed(found)

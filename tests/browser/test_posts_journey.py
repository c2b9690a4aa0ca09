"""A member of the Istanbul council writes her first post in Arabic on a 360 px phone: it waits
for a moderator; an officer (two-factor authentication done) approves it from the queue; it
appears on the council page, where another member reports it. Each page on the way: no
sideways scrolling, 44 px targets, no WCAG 2.1 A/AA violation that axe-core finds."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_layout import check, listed, phone, reading_in, sign_in  # noqa: F401

pytestmark = pytest.mark.browser

TEXT = "مرحباً بالجميع، هل من أحد يعرف مدرسة عربية للأطفال في الفاتح؟ https://example.org/madrasa"


def test_a_first_post_in_arabic_approved_then_reported(app, world, phone):  # noqa: F811
    reading_in(app, world, "ar", "member", "leader", "staff")
    found = {}
    author, officer, neighbour = phone("ar"), phone("ar"), phone("ar")
    sign_in(app, author, world["member"])
    sign_in(app, officer, world["staff"])
    sign_in(app, neighbour, world["leader"])
    council = f"/councils/{world['council']}"

    author.goto(council)
    author.locator("#body").fill("")
    author.locator("form.post-form button[type=submit]").click()
    expect(author.locator(".field-errors")).to_be_visible()  # an empty post is refused
    check(found, author, "the author's post, refused")
    author.locator("#body").fill(TEXT)
    author.locator("form.post-form button[type=submit]").click()
    expect(author.locator(".flash--success")).to_be_visible()
    expect(author.locator(".post-body").first).to_contain_text("مدرسة عربية")
    check(found, author, "the author's thread, waiting")
    neighbour.goto(council)
    expect(neighbour.locator("main")).not_to_contain_text("مدرسة عربية")

    officer.goto("/staff/moderation")
    item = officer.locator("article.moderation-item").filter(has_text="مدرسة عربية")
    expect(item).to_be_visible()
    check(found, officer, "the moderation queue")
    item.locator("select[name=reason]").select_option("follows_rules")
    item.locator("button[name=action][value=approve]").click()
    expect(officer.locator(".flash--success")).to_be_visible()

    neighbour.goto(council)
    post = neighbour.locator("article.post").filter(has_text="مدرسة عربية")
    expect(post).to_be_visible()
    expect(post.locator(".post-body a")).to_have_attribute("rel", "nofollow ugc noopener")
    check(found, neighbour, "the council page with the post")
    post.locator("a[href$='/report']").click()
    check(found, neighbour, "the report form")
    neighbour.locator("input[name=reason][value=misinformation]").check()
    neighbour.locator("main form button[type=submit]").click()
    expect(neighbour.locator(".flash--success")).to_be_visible()
    check(found, neighbour, "the thread after reporting")
    assert not found, listed(found)

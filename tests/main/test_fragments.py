"""Parts of pages kept once rendered (portal.fragments): one per language and audience."""

from tests.conftest import log_in


def test_menus_and_footer_follow_the_language_after_being_kept(client):
    english = client.get("/?lang=en").get_data(as_text=True)
    arabic = client.get("/?lang=ar").get_data(as_text=True)
    assert "About the portal" in english and "About the portal" not in arabic
    assert 'href="/announcements/feed.atom?lang=ar"' in arabic
    assert 'href="/announcements/feed.atom?lang=en"' in client.get("/?lang=en").get_data(
        as_text=True)


def test_staff_menu_is_kept_apart_from_the_members_one(app, world):
    staff, member = app.test_client(), app.test_client()
    log_in(staff, world["staff"])
    log_in(member, world["member"])
    for _ in range(2):  # the second time from the kept fragments
        assert 'href="/staff/moderation"' in staff.get("/?lang=en").get_data(as_text=True)
        member_page = member.get("/?lang=en").get_data(as_text=True)
        assert 'href="/staff/moderation"' not in member_page
        assert 'href="/auth/register"' not in member_page  # the hero of a signed-in member
        assert 'href="/auth/register"' in app.test_client().get("/?lang=en").get_data(
            as_text=True)


def test_nothing_personal_is_kept(app, world, make_user):
    first, second = app.test_client(), app.test_client()
    make_user("second@example.org", name="Second Person")
    log_in(first, world["member"])
    log_in(second, "second@example.org")
    assert "<bdi>Member</bdi>" in first.get("/?lang=en").get_data(as_text=True)
    page = second.get("/?lang=en").get_data(as_text=True)
    assert "<bdi>Second Person</bdi>" in page and "<bdi>Member</bdi>" not in page

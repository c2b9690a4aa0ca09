"""Who reads which announcement: by list, by address, on the home and council pages."""

from datetime import timedelta

import pytest

from tests.announcements.conftest import announce
from tests.conftest import log_in


def _listed(client, path="/announcements/") -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_visitors_read_only_what_is_for_everyone(client, published):
    page = _listed(client)
    assert "For everyone" in page and "Turkey only" not in page and "Nur Berlin" not in page
    assert client.get(f"/announcements/{published['all']}").status_code == 200
    assert client.get(f"/announcements/{published['turkey']}").status_code == 404
    assert client.get(f"/announcements/{published['berlin']}").status_code == 404


@pytest.mark.parametrize(("who", "sees", "misses"), [
    ("member", {"all", "turkey"}, {"berlin"}),  # Istanbul council: Türkiye
    ("other_member", {"all", "berlin"}, {"turkey"}),  # Berlin council: Germany
    ("outsider", {"all"}, {"turkey", "berlin"}),
    ("staff", {"all", "turkey", "berlin"}, set()),
])
def test_members_read_what_is_meant_for_them(client, world, published, who, sees, misses):
    log_in(client, world[who])
    titles = {"all": "For everyone", "turkey": "Turkey only", "berlin": "Nur Berlin"}
    page = _listed(client)
    for key in sees:
        assert titles[key] in page
        assert client.get(f"/announcements/{published[key]}").status_code == 200
    for key in misses:
        assert titles[key] not in page
        assert client.get(f"/announcements/{published[key]}").status_code == 404


def test_the_country_a_member_lives_in_counts(app, client, world, published):
    from portal.extensions import db
    from portal.members.models import Profile

    with app.app_context():
        db.session.add(Profile(user_id=world["ids"]["outsider"], country="TR"))
        db.session.commit()
    log_in(client, world["outsider"])
    assert "Turkey only" in _listed(client)


def test_a_missing_language_falls_back_with_a_note(client, world, published):
    client.get("/?lang=ar")
    page = _listed(client, f"/announcements/{published['all']}")
    assert "للجميع" in page and "Not available" not in page
    client.get("/?lang=tr")
    page = _listed(client, f"/announcements/{published['all']}")
    assert 'lang="en" dir="ltr"' in page and "For everyone" in page
    assert "İngilizce" in page  # the note names the language in the reader's own


def test_scheduled_and_expired_are_decided_when_read(app, client, world):
    with app.test_request_context():
        later = announce(world["ids"]["staff"], {"en": "Next week"},
                         publish_in=timedelta(days=7))
        gone = announce(world["ids"]["staff"], {"en": "Was valid"},
                        publish_in=timedelta(seconds=-10), expires_in=timedelta(seconds=-1))
    page = _listed(client)
    assert "Next week" not in page and "Was valid" not in page
    assert client.get(f"/announcements/{later}").status_code == 404
    assert client.get(f"/announcements/{gone}").status_code == 404


def test_pinned_come_first_then_the_newest(app, client, world):
    with app.test_request_context():
        announce(world["ids"]["staff"], {"en": "Old but pinned"}, pinned=True,
                 publish_in=timedelta(seconds=-60))
        announce(world["ids"]["staff"], {"en": "Older"}, publish_in=timedelta(seconds=-30))
        announce(world["ids"]["staff"], {"en": "Newest"})
    page = _listed(client)
    assert page.index("Old but pinned") < page.index("Newest") < page.index("Older")


def test_the_home_page_marks_new_ones_until_marked_read(client, world, published):
    log_in(client, world["member"])
    page = _listed(client, "/")
    assert "For everyone" in page and "Turkey only" in page
    assert page.count('class="tag tag--new"') == 2
    response = client.post("/announcements/seen", data={"next": "/"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert 'tag--new' not in _listed(client, "/")


def test_reading_never_writes(app, client, world, published):
    from portal.auth.models import User
    from portal.extensions import db

    log_in(client, world["member"])
    _listed(client, "/")
    _listed(client)
    with app.app_context():
        assert db.session.get(User, world["ids"]["member"]).announcements_seen_at is None


def test_the_council_page_shows_what_is_aimed_at_it(client, world, published):
    log_in(client, world["other_member"])
    assert "Nur Berlin" in _listed(client, f"/councils/{world['other_council']}")
    client.post("/auth/logout")
    assert "Nur Berlin" not in _listed(client, f"/councils/{world['other_council']}")
    log_in(client, world["member"])
    assert "Nur Berlin" not in _listed(client, f"/councils/{world['other_council']}")


def test_the_list_is_paged(app, client, world):
    with app.test_request_context():
        for number in range(23):
            announce(world["ids"]["staff"], {"en": f"Number {number:02d}"},
                     publish_in=timedelta(seconds=number - 100))
    first = _listed(client)
    assert "Number 22" in first and "Number 02" not in first and 'rel="next"' in first
    second = _listed(client, "/announcements/?page=2")
    assert "Number 02" in second and "Number 22" not in second
    assert _listed(client, "/announcements/?page=x")  # any page number: no error


def test_archived_ones_disappear(app, client, world, published):
    from portal.announcements import services
    from portal.announcements.models import Announcement
    from portal.auth.models import User
    from portal.extensions import db

    with app.test_request_context():
        services.archive(db.session.get(Announcement, published["all"]),
                         db.session.get(User, world["ids"]["staff"]))
        db.session.commit()
    assert "For everyone" not in _listed(client)
    assert client.get(f"/announcements/{published['all']}").status_code == 404


"""Announcement pages cost the same statements with few announcements and with many."""

from portal.announcements.models import Audience
from tests.announcements.conftest import announce
from tests.conftest import counted_statements, log_in

LANGUAGES = ("ar", "ckb", "ku", "en", "tr", "fa", "de", "sv")


def _add(app, world, start: int, count: int) -> list[int]:
    """Announcements in several languages, for everyone, Türkiye and the Istanbul council."""
    audiences = [{}, {"audience": Audience.COUNTRIES, "countries": ["TR", "DE"]},
                 {"audience": Audience.COUNCILS, "councils": [world["council_id"]]}]
    with app.test_request_context():
        return [announce(world["ids"]["staff"],
                         {code: f"{code} {n}" for code in LANGUAGES[:1 + n % 8]},
                         default_locale="ar", pinned=n % 10 == 0, **audiences[n % 3])
                for n in range(start, start + count)]


def _statements(app, client, path: str) -> int:
    with app.app_context(), counted_statements() as seen:
        assert client.get(path).status_code == 200, path
    return len(seen)


def test_announcement_pages_do_not_grow_with_the_announcements(app, world):
    visitor, member, staff = app.test_client(), app.test_client(), app.test_client()
    log_in(member, world["member"])
    log_in(staff, world["staff"])
    for_everyone = _add(app, world, 0, 3)[0]
    paths = [(visitor, "/announcements/"), (member, "/announcements/"), (member, "/"),
             (member, f"/councils/{world['council']}"), (member, f"/announcements/{for_everyone}"),
             (visitor, "/announcements/feed.atom"), (staff, "/staff/announcements/"),
             (staff, "/staff/announcements/?state=published")]
    few = [_statements(app, client, path) for client, path in paths]
    _add(app, world, 3, 60)
    many = [_statements(app, client, path) for client, path in paths]
    costs = list(zip([path for _, path in paths], few, many, strict=True))
    assert many == few and max(many) <= 8, costs

"""Staff pages: who may see them, what they show, what they record, how they treat bad input."""

import csv
import io
import re

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.extensions import db
from portal.forms import length_message
from tests.conftest import log_in

ENDPOINTS = {
    "staff.members": "/staff/members",
    "staff.members_csv": "/staff/members.csv",
    "staff.member": "/staff/members/{noor}",
    "staff.reveal_sensitive": "/staff/members/{noor}/sensitive",
    "staff.audit": "/staff/audit",
}


def events(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                  .order_by(AuditEvent.id)).all()


def translated(app, locale: str, message) -> str:
    """``message`` in ``locale``: a msgid, or a lazy message such as length_message(0, 100)."""
    with app.test_request_context(), force_locale(locale):
        return gettext(message) if isinstance(message, str) else str(message)


@pytest.fixture
def staff_client(client, people):
    log_in(client, "staff@example.org")
    return client


@pytest.mark.parametrize("url", ENDPOINTS.values())
@pytest.mark.parametrize(("who", "expected"), [
    (None, 302), ("noor", 403), ("leader", 403), ("staff", 200), ("admin", 200),
])
def test_access(app, client, people, url, who, expected):
    if who:
        log_in(client, f"{who}@example.org")
    method = "POST" if url.endswith("/sensitive") else "GET"
    response = client.open(url.format(**people), method=method)
    assert response.status_code == expected
    if who is None:
        assert response.headers["Location"].startswith("/auth/login")
    if expected == 200:
        assert response.headers["Cache-Control"] == "no-store"


def test_every_staff_route_has_an_access_expectation(app):
    endpoints = {r.endpoint for r in app.url_map.iter_rules() if r.endpoint.startswith("staff.")}
    assert endpoints == set(ENDPOINTS)


def test_search_page_lists_filters_and_links(app, staff_client, people):
    page = staff_client.get("/staff/members?lang=en&country=DE&city=berlin").get_data(as_text=True)
    assert "<caption " in page
    assert f'href="/staff/members/{people["noor"]}"' in page
    assert "Sara Ali" in page and "Karwan Aziz" not in page and "Noor Ghost" not in page
    assert re.search(r'href="/staff/members\.csv\?(country=DE&amp;city=berlin|'
                     r'city=berlin&amp;country=DE)"', page)
    assert "<bdi>Sara Ali</bdi>" in page  # a name isolated from the page's direction
    assert "<script>" not in page and "style=" not in page  # nothing inline
    assert "asylum" not in page.lower()  # sensitive fields only on the member's own page


def test_pagination_keeps_the_filters(app, staff_client, people, monkeypatch):
    from portal.staff import services

    search = services.search_members
    monkeypatch.setattr(services, "search_members",
                        lambda filters, page, locale: search(filters, page, 1, locale))
    page = staff_client.get("/staff/members?country=DE&page=2").get_data(as_text=True)
    assert 'href="/staff/members?page=1&amp;country=DE"' in page
    assert 'href="/staff/members?page=3&amp;country=DE"' in page


def test_csv_export(app, staff_client, people):
    response = staff_client.get("/staff/members.csv?country=DE&council=de-berlin")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="members-')
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data()
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0][:3] == ["id", "display_name", "email"]
    assert sorted(row[2] for row in rows[1:]) == ["leader@example.org", "noor@example.org"]
    [exported] = events(app, "members.exported")
    assert exported.details == {"filters": {"country": "DE", "council": "de-berlin"}, "rows": 2}
    assert exported.actor_id == people["staff"]


def test_sensitive_answers_are_shown_by_an_audited_post_only(app, staff_client, people):
    url = f"/staff/members/{people['noor']}?lang=en"
    page = staff_client.get(url).get_data(as_text=True)
    assert "<dl" in page and "Noor Hassan" in page
    assert "Baghdad" in page and "Germany" in page
    assert "Asylum seeker" not in page and "Iraqi passport" not in page
    assert events(app, "sensitive.viewed") == []  # a GET, even a prefetch, records nothing
    assert f'action="/staff/members/{people["noor"]}/sensitive"' in page
    reveal = f"/staff/members/{people['noor']}/sensitive?lang=en"
    page = staff_client.post(reveal).get_data(as_text=True)
    assert "Asylum seeker (claim not yet decided)" in page
    assert "Iraqi passport" in page and "Unified National Card" in page
    staff_client.post(reveal)
    viewed = events(app, "sensitive.viewed")
    assert len(viewed) == 2
    assert {(e.subject_type, e.subject_id, e.actor_id) for e in viewed} == {
        ("User", people["noor"], people["staff"])}


def test_member_page_labels_follow_the_locale(app, staff_client, people):
    page = staff_client.post(
        f"/staff/members/{people['noor']}/sensitive?lang=de").get_data(as_text=True)
    assert translated(app, "de", "Iraqi passport") in page
    assert "Deutschland" in page


@pytest.mark.parametrize("who", ["ghost", "staff"])
def test_member_page_404_for_deleted_and_non_members(app, staff_client, people, who):
    assert staff_client.get(f"/staff/members/{people[who]}").status_code == 404


@pytest.mark.parametrize("user_id", ["999999", "99999999999999999999"])
def test_member_page_404_for_unknown(app, staff_client, user_id):
    assert staff_client.get(f"/staff/members/{user_id}").status_code == 404
    assert events(app, "sensitive.viewed") == []


def test_audit_page_filters_by_action(app, staff_client, people):
    staff_client.post(f"/staff/members/{people['noor']}/sensitive")
    staff_client.get("/staff/members.csv")
    page = staff_client.get("/staff/audit?lang=en&action=sensitive.viewed").get_data(as_text=True)
    assert "<caption " in page and "<code>sensitive.viewed</code>" in page
    assert "<code>members.exported</code>" not in page
    assert "<code>membership.approved</code>" not in page
    assert "Staff Officer" in page
    everything = staff_client.get("/staff/audit?lang=en").get_data(as_text=True)
    assert "<code>members.exported</code>" in everything
    assert "<code>membership.approved</code>" in everything
    assert "system" in everything  # events of the set-up had no signed-in actor


@pytest.mark.parametrize(("query", "message"), [
    ("country=XX", "Please choose one of the options."),
    ("governorate=IQ-ZZ", "Please choose one of the options."),
    ("council=no-such-council", "Please choose one of the options."),
    ("q=" + "x" * 101, length_message(0, 100)),
])
@pytest.mark.parametrize("url", ["/staff/members", "/staff/members.csv"])
def test_bad_member_filters_show_a_translated_error(app, staff_client, url, query, message):
    response = staff_client.get(f"{url}?lang=de&{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    expected = translated(app, "de", message)
    assert expected in page and "error-summary" in page
    assert "<table" not in page
    assert events(app, "members.exported") == []


@pytest.mark.parametrize(("query", "message"), [
    ("date_from=yesterday", "Please enter a date."),
    ("date_to=2025-13-45", "Please enter a date."),
    ("date_from=2025-03-02&date_to=2025-03-01", None),
])
def test_bad_audit_filters_show_a_translated_error(app, staff_client, query, message):
    response = staff_client.get(f"/staff/audit?lang=de&{query}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "error-summary" in page and "<table" not in page
    if message:
        assert translated(app, "de", message) in page


@pytest.mark.parametrize("query", [
    "q=%00", "q=' OR 1=1 --", "city=%25", "skills=_", "q=%5C", "page=abc", "page=-3",
    "page=99999999999999999999", "country=", "q=" + "%D8%A7" * 50,
])
def test_odd_member_queries_never_fail(staff_client, query):
    assert staff_client.get(f"/staff/members?{query}").status_code == 200


@pytest.mark.parametrize("query", [
    "actor=%00", "action=' OR 1=1 --", "date_from=0001-01-01&date_to=9999-12-31",
    "page=99999999999999999999",
])
def test_odd_audit_queries_never_fail(staff_client, query):
    assert staff_client.get(f"/staff/audit?{query}").status_code == 200


def test_reading_pages_writes_nothing_but_the_audit_trail(app, staff_client, people):
    def count():
        with app.app_context():
            return db.session.scalar(select(func.count(AuditEvent.id)))

    before = count()
    staff_client.get("/staff/members")
    staff_client.get("/staff/audit")
    assert count() == before


def test_member_page_marks_leadership_and_missing_councils(app, staff_client, people):
    leader = staff_client.get(f"/staff/members/{people['leader']}?lang=en").get_data(as_text=True)
    assert "(leader)" in leader
    sara = staff_client.get(f"/staff/members/{people['sara']}?lang=en").get_data(as_text=True)
    assert "No council yet" in sara and "Not given" in sara

"""Member search, CSV export and audit queries."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from portal import audit
from portal.audit import AuditEvent
from portal.councils.models import Council, CouncilTranslation
from portal.councils.services import create_council
from portal.csv_export import csv_lines
from portal.extensions import db
from portal.staff import services
from portal.staff.services import AuditFilters, CouncilName, MemberFilters
from tests.conftest import counted_statements
from tests.staff.conftest import add_member


def names(page) -> list[str]:
    return [row.display_name for row in page.items]


def search(**filters) -> list[str]:
    return sorted(names(services.search_members(MemberFilters(**filters))))


def test_no_filter_lists_members_newest_first_without_staff_or_deleted(people, ctx):
    assert names(services.search_members(MemberFilters())) == [
        "Layla Leader", "Sara Ali", "Karwan Aziz", "Noor Hassan"]


@pytest.mark.parametrize(("filters", "expected"), [
    ({"q": "noor"}, ["Noor Hassan"]),  # the deleted "Noor Ghost" never shows
    ({"q": "sara@EXAMPLE"}, ["Sara Ali"]),
    ({"q": "example.org"}, ["Karwan Aziz", "Layla Leader", "Noor Hassan", "Sara Ali"]),
    ({"country": "de"}, ["Layla Leader", "Noor Hassan", "Sara Ali"]),
    ({"country": "SE"}, ["Karwan Aziz"]),
    ({"city": "BERLIN"}, ["Layla Leader", "Noor Hassan", "Sara Ali"]),
    ({"city": "malmö"}, ["Karwan Aziz"]),
    ({"council": "de-berlin"}, ["Layla Leader", "Noor Hassan"]),  # Karwan is only pending
    ({"council": "se-malmo"}, ["Karwan Aziz"]),
    ({"council": "no-such-council"}, []),
    ({"governorate": "IQ-SU"}, ["Karwan Aziz"]),
    ({"skills": "ARABIC"}, ["Noor Hassan"]),
    ({"country": "DE", "city": "berlin", "council": "de-berlin", "skills": "nurs"},
     ["Noor Hassan"]),
    ({"q": "a", "country": "DE", "governorate": "IQ-BA"}, ["Sara Ali"]),
    ({"country": "SE", "city": "berlin"}, []),
])
def test_filters_alone_and_combined(people, ctx, filters, expected):
    assert search(**filters) == expected


@pytest.mark.parametrize("field", ["q", "country", "city", "council", "governorate", "skills"])
@pytest.mark.parametrize("text", ["' OR 1=1 --", "\" OR \"\"=\"", "'; DROP TABLE users; --",
                                  "\\", "%%", "%_%_%", "x' UNION SELECT email FROM users --"])
def test_hostile_text_matches_literally(people, ctx, field, text):
    assert search(**{field: text}) == []
    assert len(search()) == 4  # and the tables are still there


@pytest.mark.parametrize(("field", "text", "expected"), [
    ("skills", "%", ["Sara Ali"]),  # only the skill that really contains "%"
    ("skills", "_", ["Sara Ali"]),
    ("skills", "0% s", ["Sara Ali"]),
    ("q", "_", []),
    ("q", "%", []),
])
def test_like_wildcards_are_plain_characters(people, ctx, field, text, expected):
    assert search(**{field: text}) == expected


def test_pages_and_has_next(people, ctx):
    first = services.search_members(MemberFilters(), page=1, per_page=3)
    second = services.search_members(MemberFilters(), page=2, per_page=3)
    assert first.has_next and not first.has_previous
    assert not second.has_next and second.has_previous
    assert names(first) + names(second) == names(services.search_members(MemberFilters()))


def test_rows_carry_profiles_and_approved_councils(people, ctx):
    [noor] = services.search_members(MemberFilters(q="noor")).items
    [karwan] = services.search_members(MemberFilters(q="karwan")).items
    assert noor.governorate == "IQ-BG"
    assert [council.slug for council in noor.councils] == ["de-berlin"]
    assert [council.slug for council in karwan.councils] == ["se-malmo"]  # not the request


def test_councils_are_named_in_the_reader_s_language_where_they_have_a_translation(
        people, ctx):
    berlin = db.session.scalar(select(Council).where(Council.slug == "de-berlin"))
    berlin.translations.append(CouncilTranslation(locale="ar", name="مجلس برلين"))
    db.session.commit()
    [noor] = services.search_members(MemberFilters(q="noor"), locale="ar").items
    assert noor.councils == [CouncilName("de-berlin", "مجلس برلين", "ar")]
    [noor] = services.search_members(MemberFilters(q="noor"), locale="ckb").items
    assert noor.councils == [CouncilName("de-berlin", berlin.name, berlin.default_locale)]


def test_find_member_refuses_deleted_staff_and_unknown(people, ctx):
    assert services.find_member(people["noor"]).user.email == "noor@example.org"
    for name in ("ghost", "staff", "admin"):
        assert services.find_member(people[name]) is None
    assert services.find_member(10**9) is None




def _crowd(size: int, prefix: str = "m") -> None:
    """`size` members in Germany, each in one to three councils."""
    councils = [create_council(f"Council {n}", "DE", f"City {n}") for n in range(3)]
    for n in range(size):
        add_member(f"{prefix}{n}@example.org", f"Member {n}", councils=councils[: n % 3 + 1],
                   country="DE", city="Berlin", skills="x")
    db.session.commit()
    db.session.expunge_all()


def _statements_for_a_page() -> tuple[int, int]:
    with counted_statements() as statements:
        page = services.search_members(MemberFilters(country="DE"), locale="ar")
    return len(statements), len(page.items)


@pytest.mark.parametrize("size", [5, 30])
def test_a_page_costs_the_same_queries_for_5_or_30_members(app, ctx, size):
    _crowd(size)
    count, shown = _statements_for_a_page()
    assert shown == size
    assert count == 2  # members with profiles; their councils, named


def test_query_count_does_not_grow(app, ctx):
    _crowd(5)
    small, _ = _statements_for_a_page()
    _crowd(25, prefix="more")
    large, shown = _statements_for_a_page()
    assert shown == 30
    assert large == small


def read_csv(filters: MemberFilters, delimiter: str = ",") -> list[list[str]]:
    text = "".join(csv_lines(services.CSV_HEADER, services.member_records(filters)))
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def test_csv_has_every_match_with_council_slugs(people, ctx):
    rows = read_csv(MemberFilters(country="DE"))
    assert rows[0] == list(services.CSV_HEADER)
    by_email = {row[2]: row for row in rows[1:]}
    assert set(by_email) == {"noor@example.org", "sara@example.org", "leader@example.org"}
    noor = by_email["noor@example.org"]
    assert noor[:6] == [str(people["noor"]), "Noor Hassan", "noor@example.org", "DE", "Berlin",
                        "IQ-BG"]
    assert noor[10] == "+49 30 1234"  # only digits and signs: data, not a formula
    assert noor[11] == "de-berlin"
    assert "asylum" not in str(read_csv(MemberFilters()))  # sensitive fields stay out


def test_csv_is_exported_in_batches(people, ctx, monkeypatch):
    monkeypatch.setattr(services, "EXPORT_BATCH", 2)
    rows = read_csv(MemberFilters())
    assert len(rows) == 5 and len({row[0] for row in rows}) == 5


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://evil\")", "+cmd|' /C calc'!A0",
                                   "-2+3+cmd|x", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralized(ctx, value):
    add_member("f@example.org", value, country="DE", city=value, skills=value,
               occupation=value)
    db.session.flush()
    [_, row] = read_csv(MemberFilters())
    for cell in (row[1], row[4], row[7], row[8]):
        assert cell == "'" + value


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_no_cell_starts_a_formula_whatever_the_separator(ctx, delimiter):
    """Excel in de, sv, tr and nl splits on ";": quoting keeps "Tailor;=1+1" in one cell."""
    add_member("t@example.org", "Tailor;=1+1", country="DE", city="a\t=2+2",
               skills="x;@SUM(A1)", occupation="y,-1+cmd|x", phone="+90 532 555 0101")
    db.session.flush()
    rows = read_csv(MemberFilters(), delimiter)
    for cell in (cell for row in rows for cell in row):
        assert not cell.startswith(("=", "@", "\t", "\r")), (delimiter, cell)
        assert not cell.startswith(("+", "-")) or cell == "+90 532 555 0101", (delimiter, cell)


@pytest.mark.parametrize("value", ["+90 532 555 0101", "-12.5", "(030) 123-456", "2015"])
def test_numbers_and_phone_numbers_stay_as_they_are(ctx, value):
    add_member("p@example.org", "Noor", country="DE", phone=value, city=value)
    db.session.flush()
    [_, row] = read_csv(MemberFilters())
    assert row[4] == row[10] == value


def test_ordinary_cells_are_left_alone(ctx):
    add_member("o@example.org", "Noor", country="DE", city="a=b", year_left=2015,
               skills="x-ray, +2")
    db.session.flush()
    [_, row] = read_csv(MemberFilters())
    assert row[1] == "Noor" and row[4] == "a=b" and row[6] == "2015" and row[8] == "x-ray, +2"
    assert row[5] == row[9] == row[10] == row[11] == ""  # nothing given: empty cells


def test_export_is_an_audit_event(people, ctx):
    services.export_members(MemberFilters(country="DE", city=""))
    db.session.flush()
    [exported] = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "members.exported")).all()
    assert exported.details == {"filters": {"country": "DE"}, "rows": 3}


def test_a_search_is_audited_as_the_accounts_it_matched(people, ctx):
    """An email, a name or a phone number typed as a filter is kept as account ids only."""
    for text in ("noor@example.org", "Noor Hassan"):
        list(services.export_members(MemberFilters(q=text, country="DE")))
    services.export_members(MemberFilters(q="nobody@example.org"))
    db.session.flush()
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "members.exported").order_by(AuditEvent.id)).all()
    assert [e.details["filters"] for e in events[:2]] == [
        {"q_accounts": [people["noor"]], "country": "DE"}] * 2
    assert set(events[2].details["filters"]) == {"q_digest"}
    assert "nobody" not in str(events[2].details)


def _event(action, when, actor=None):
    event_ = audit.record(action, actor=actor)
    event_.created_at = when
    return event_


def test_audit_events_filters_and_order(people, ctx):
    staff = db.session.get(services.User, people["staff"])
    db.session.execute(AuditEvent.__table__.delete())
    day = datetime(2025, 3, 10, 23, 30, tzinfo=UTC)
    _event("members.exported", day, staff)
    _event("sensitive.viewed", day + timedelta(hours=1), staff)
    _event("sensitive.viewed", day - timedelta(days=2))
    db.session.flush()

    def actions(**filters):
        return [e.action for e in services.audit_events(AuditFilters(**filters)).items]

    assert actions() == ["sensitive.viewed", "members.exported", "sensitive.viewed"]
    assert actions(action="sensitive.viewed") == ["sensitive.viewed", "sensitive.viewed"]
    assert actions(action="sensitive") == ["sensitive.viewed", "sensitive.viewed"]  # a family
    assert actions(action="sensitiv") == [] and actions(action="%") == []  # not any prefix
    assert actions(actor="STAFF@example.org") == ["sensitive.viewed", "members.exported"]
    assert actions(actor="' OR 1=1 --") == []
    assert actions(date_from=date(2025, 3, 10), date_to=date(2025, 3, 10)) == ["members.exported"]
    assert actions(date_from=date(2025, 3, 11)) == ["sensitive.viewed"]
    assert actions(date_to=date(2025, 3, 9)) == ["sensitive.viewed"]
    assert len(actions(date_from=date(1, 1, 1), date_to=date.max)) == 3
    page = services.audit_events(AuditFilters(), per_page=2)
    assert page.has_next and len(page.items) == 2

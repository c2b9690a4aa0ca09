"""Dates and times in the reader's display time zone: chosen, or from the country of residence,
else Baghdad; named where the time matters; "today" where the reader is."""

from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale, gettext
from flask_login import login_user
from sqlalchemy import select

from portal import i18n
from portal.audit import AuditEvent
from portal.auth.models import User
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import (
    _MAIN_ZONES,
    country_time_zone,
    country_zones,
    format_datetime,
    select_time_zone,
    time_zone_of,
    today,
    zone_name,
)
from portal.members.forms import TimeZoneForm
from portal.members.services import profile_of, set_time_zone
from portal.staff.services import AuditFilters, audit_events
from tests.conftest import log_in

LATE = datetime(2026, 12, 12, 23, 30, tzinfo=UTC)


def _user(app, email="member@example.org", country=None, zone=None) -> User:
    user = db.session.scalar(select(User).where(User.email == email))
    if country:
        profile_of(user).country = country
    user.time_zone = zone
    db.session.commit()
    return user


def test_a_member_in_germany_sees_2330_utc_as_0030_the_next_day(app, make_user):
    make_user()
    with app.test_request_context(), force_locale("en"):
        login_user(_user(app, country="DE"))
        assert select_time_zone() == "Europe/Berlin"
        assert format_datetime(LATE, "short") == "12/13/26, 12:30\u202fAM"


def test_a_visitor_sees_baghdad_time(app, client):
    with app.test_request_context(), force_locale("en"):
        assert select_time_zone() == "Asia/Baghdad"
        assert format_datetime(LATE, "short") == "12/13/26, 2:30\u202fAM"


def test_a_chosen_zone_beats_the_country_and_an_unknown_one_is_ignored(app, make_user):
    make_user()
    with app.app_context():
        assert time_zone_of(_user(app, country="SE", zone="America/Toronto")) == "America/Toronto"
        assert time_zone_of(_user(app, country="SE", zone="Mars/Olympus")) == "Europe/Stockholm"
        assert time_zone_of(_user(app, country=None, zone=None)) == "Europe/Stockholm"


def test_without_a_country_a_member_sees_baghdad_time(app, make_user):
    make_user()
    with app.app_context():
        assert time_zone_of(_user(app)) == "Asia/Baghdad"


@pytest.mark.parametrize(("country", "zone"), [
    ("US", "America/New_York"), ("AU", "Australia/Sydney"), ("RU", "Europe/Moscow"),
    ("TR", "Europe/Istanbul"), ("IR", "Asia/Tehran"), ("SE", "Europe/Stockholm"),
    ("XX", None), (None, None),
])
def test_a_countrys_zone_is_where_most_of_its_people_live(country, zone):
    assert country_time_zone(country) == zone


def test_every_country_with_several_zones_has_a_main_zone_of_its_own():
    several = {code for code, zones in country_zones().items() if len(zones) > 1}
    assert several == _MAIN_ZONES.keys()
    assert all(_MAIN_ZONES[code] in country_zones()[code] for code in several)
    assert all(zones for zones in country_zones().values())


def test_today_is_the_readers_today(app, monkeypatch, make_user):
    """At 22:30 UTC on New Year's Eve it is already 2027 in Baghdad, still 2026 in New York."""

    class NewYearsEve(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 12, 31, 22, 30, tzinfo=UTC).astimezone(tz)

    monkeypatch.setattr(i18n, "datetime", NewYearsEve)
    make_user()
    with app.test_request_context():
        assert today() == date(2027, 1, 1)
    with app.test_request_context():
        login_user(_user(app, country="US"))
        assert today() == date(2026, 12, 31)
    client = app.test_client()
    log_in(client, "member@example.org")
    response = client.post("/me/profile", data={"country": "US", "year_left": "2027"})
    assert response.status_code == 200  # the year 2027 has not begun in New York
    assert client.post("/me/profile", data={"country": "TR"}).status_code == 302
    response = client.post("/me/profile", data={"country": "TR", "year_left": "2027"})
    assert response.status_code == 302  # but it has in Istanbul, where the member now lives


def test_the_audit_log_names_the_zone_and_reads_dates_in_it(app, world):
    with app.app_context():
        staff = _user(app, world["staff"], zone="Europe/Berlin")
        db.session.add(AuditEvent(action="test.late", created_at=LATE, details={}))
        db.session.commit()
        assert staff.time_zone == "Europe/Berlin"
    client = app.test_client()
    log_in(client, world["staff"])
    page = client.get("/staff/audit?lang=de&action=test.late").get_data(as_text=True)
    with app.test_request_context(), force_locale("de"):
        assert zone_name("Europe/Berlin") == "Berlin, Deutschland"
        assert zone_name("Asia/Baghdad") == "Irak"
    assert "Zeitzone Berlin, Deutschland" in page
    assert "13.12.2026, 00:30:00" in page
    assert 'datetime="2026-12-12T23:30:00+00:00"' in page
    # Dates in the filters are the reader's days: 23:30 UTC is already the 13th in Berlin.
    assert "13.12.2026" in client.get(
        "/staff/audit?lang=de&action=test.late&date_from=2026-12-13").get_data(as_text=True)
    assert "13.12.2026" not in client.get(
        "/staff/audit?lang=de&action=test.late&date_to=2026-12-12").get_data(as_text=True)


def test_audit_dates_are_whole_days_in_the_given_zone(app):
    with app.app_context():
        db.session.add(AuditEvent(action="test.late", created_at=LATE, details={}))
        db.session.commit()

        def found(**filters):
            return [e.action for e in audit_events(AuditFilters(**filters)).items]

        day = date(2026, 12, 12)
        assert found(date_from=day, date_to=day) == ["test.late"]  # in UTC
        assert found(date_from=day, date_to=day, time_zone="Europe/Berlin") == []
        assert found(date_from=date(2026, 12, 13), time_zone="Asia/Baghdad") == ["test.late"]
        assert found(date_from=date.min, time_zone="Asia/Tokyo") == ["test.late"]


def test_the_setting_saves_a_zone_and_refuses_an_unknown_one(app, client, make_user):
    user_id = make_user()
    log_in(client, "member@example.org")
    page = client.get("/me/time-zone?lang=ar").get_data(as_text=True)
    assert 'action="/me/time-zone"' in page
    response = client.post("/me/time-zone", data={"time_zone": "America/Toronto"})
    assert response.headers["Location"] == "/me/time-zone"
    with app.app_context():
        assert db.session.get(User, user_id).time_zone == "America/Toronto"
    response = client.post("/me/time-zone?lang=ar", data={"time_zone": "Mars/Olympus"})
    assert response.status_code == 200
    with app.test_request_context(), force_locale("ar"):
        refused = gettext("Please choose one of the options.")
    assert refused in response.get_data(as_text=True)
    assert client.post("/me/time-zone", data={"time_zone": ""}).status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id).time_zone is None  # automatic again


def test_the_service_refuses_an_unknown_zone_with_a_translated_message(app, make_user):
    make_user()
    with app.test_request_context(), force_locale("de"):
        user = _user(app)
        with pytest.raises(DomainError) as refused:
            set_time_zone(user, "Etc/Unknown")
        assert str(refused.value.message) == "Bitte wählen Sie eine Zeitzone aus der Liste."
        set_time_zone(user, "Asia/Tehran")
        assert user.time_zone == "Asia/Tehran"


def test_the_zones_of_the_members_country_come_first(app):
    with app.test_request_context(), force_locale("ar"):
        choices = [(c.value, c.label) for c in TimeZoneForm(formdata=None, country="CA")
                   .time_zone.choices]
    assert choices[0] == ("", "تلقائي: تورونتو، كندا")
    canadian = {zone for zone, _name in choices[1:len(country_zones()["CA"]) + 1]}
    assert canadian == set(country_zones()["CA"])
    assert choices[len(canadian) + 1][0] == "Asia/Baghdad"  # then Iraq
    assert len(choices) == len({zone for zone, _name in choices}) > 400


def test_when_sensitive_answers_last_changed_is_named_with_its_zone(app, world):
    with app.app_context():
        _user(app, world["staff"], zone="Europe/Berlin")
        member = _user(app, world["member"], country="SE")
        profile_of(member).sensitive_updated_at = LATE
        db.session.commit()
    client = app.test_client()
    log_in(client, world["staff"])
    page = client.post(f"/staff/members/{world['ids']['member']}/sensitive?lang=de")
    assert "13.12.2026, 00:30:00 (Berlin, Deutschland)" in page.get_data(as_text=True)

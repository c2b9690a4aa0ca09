"""Member services: profile, sharing, what leaders see, download my data, delete my account."""

import json
from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from portal.audit import AuditEvent
from portal.auth.models import User
from portal.councils.models import Membership
from portal.councils.services import add_member, create_council
from portal.errors import DomainError
from portal.extensions import db
from portal.mail import OutboxMessage, queue_mail
from portal.members import services
from portal.members.choices import DEFAULT_SHARED, SHAREABLE_FIELDS
from portal.members.models import Profile

ANSWERS = {"country": "DE", "city": "Berlin", "governorate": "IQ-BG", "year_left": 2015,
           "occupation": "Engineer", "skills": "Welding", "languages": "Arabic, German",
           "phone": "+49 30 1234567", "residence_status": "permanent_resident",
           "documentation_needs": ["passport"]}


@pytest.fixture
def member(make_user, ctx):
    return db.session.get(User, make_user(email="member@example.org", name="Noor"))


def save(user, **changes):
    return services.update_profile(user, **(ANSWERS | changes))


def test_profile_of_creates_one_profile_once(member):
    first = services.profile_of(member)
    assert services.profile_of(member) is first
    assert first.shared_with_leaders == DEFAULT_SHARED
    assert first.documentation_needs == []
    db.session.flush()
    assert db.session.scalar(select(func.count()).select_from(Profile)) == 1


def test_update_profile_stores_answers_and_blanks_as_none(member):
    profile = save(member, city="  Berlin ", occupation="", skills="   ", phone="")
    assert (profile.country, profile.city, profile.governorate) == ("DE", "Berlin", "IQ-BG")
    assert profile.year_left == 2015
    assert profile.occupation is None and profile.skills is None and profile.phone is None
    assert profile.residence_status == "permanent_resident"
    assert profile.documentation_needs == ["passport"]


def test_sensitive_timestamp_moves_only_when_sensitive_answers_change(member):
    profile = save(member, residence_status="", documentation_needs=[])
    assert profile.sensitive_updated_at is None
    save(member, documentation_needs=["other", "passport"])
    first = profile.sensitive_updated_at
    assert first is not None
    assert profile.documentation_needs == ["passport", "other"]  # in the order of the choices
    save(member, city="Hamburg", documentation_needs=["passport", "other"])
    assert profile.sensitive_updated_at == first
    save(member, residence_status="")
    assert profile.residence_status is None
    assert profile.sensitive_updated_at > first


@pytest.mark.parametrize("changes", [
    {"country": "XX"},
    {"country": "IQ"},  # members live abroad
    {"governorate": "IQ-ZZ"},
    {"residence_status": "tourist"},
    {"documentation_needs": ["passport", "visa"]},
    {"year_left": 1800},
    {"year_left": date.today().year + 1},
])
def test_update_profile_refuses_unknown_answers(member, changes):
    save(member)
    with pytest.raises(DomainError):
        save(member, city="Changed", **changes)
    assert member.profile.city == "Berlin"


def test_sharing_defaults_to_name_and_city(member):
    save(member)
    assert [code for code, _label, _value in services.shared_with_leaders(member)] == \
        ["display_name", "city"]


def test_sharing_without_profile_shows_the_name(member):
    with force_locale("en"):
        assert services.shared_with_leaders(member) == [("display_name", "Display name", "Noor")]


def test_update_sharing_keeps_known_codes_in_order(member):
    services.update_sharing(member, ["phone", "email", "country"])
    assert member.profile.shared_with_leaders == ["country", "email", "phone"]
    with pytest.raises(DomainError):
        services.update_sharing(member, ["residence_status"])
    assert member.profile.shared_with_leaders == ["country", "email", "phone"]


def test_shared_values_are_shown_in_the_viewers_language(member):
    save(member)
    services.update_sharing(member, list(SHAREABLE_FIELDS))
    with force_locale("en"):
        rows = services.shared_with_leaders(member)
    shown = {code: value for code, _label, value in rows}
    assert shown == {"display_name": "Noor", "city": "Berlin", "country": "Germany",
                     "email": "member@example.org", "phone": "+49 30 1234567",
                     "governorate": "Baghdad", "year_left": "2015", "occupation": "Engineer",
                     "skills": "Welding", "languages": "Arabic, German"}
    with force_locale("ckb"):
        rows = services.shared_with_leaders(member)
    shown = {code: (label, value) for code, label, value in rows}
    assert shown["country"][1] == "ئەڵمانیا"
    assert shown["year_left"][1] == "٢٠١٥"


def test_sensitive_answers_never_reach_leaders(member):
    save(member, residence_status="asylum_refused", documentation_needs=["passport"])
    # Even a tampered choice cannot share them.
    member.profile.shared_with_leaders = [*SHAREABLE_FIELDS, "residence_status",
                                          "documentation_needs"]
    rows = services.shared_with_leaders(member)
    codes = [code for code, _label, _value in rows]
    assert "residence_status" not in codes and "documentation_needs" not in codes
    text = repr(rows)
    assert "asylum" not in text and "passport" not in text.lower()


def test_export_data_holds_everything(member):
    save(member)
    services.update_sharing(member, ["display_name", "phone"])
    council = create_council("Iraqi Council of Berlin", "DE", "Berlin")
    add_member(council, member)
    queue_mail(member.email, "en", "reset_password", user=member, url="https://x/reset/token")
    db.session.flush()

    data = services.export_data(member)
    json.dumps(data)  # plain JSON values only
    assert data["account"]["email"] == "member@example.org"
    assert data["account"]["role"] == "member"
    assert data["account"]["created_at"].endswith("+00:00")
    assert data["consents"]["privacy_version"]
    assert data["consents"]["privacy_accepted_at"]
    assert data["consents"]["announcement_mail"] is True
    assert data["profile"] | ANSWERS == data["profile"]  # every answer, sensitive ones too
    assert data["profile"]["shared_with_leaders"] == ["display_name", "phone"]
    assert data["profile"]["sensitive_updated_at"]
    [membership] = data["memberships"]
    assert membership["council"] == {"slug": council.slug, "name": "Iraqi Council of Berlin"}
    assert (membership["role"], membership["status"], membership["is_home"]) == \
        ("member", "approved", True)
    assert membership["requested_at"] and membership["decided_at"]
    [mail] = data["mail"]
    assert "token" not in json.dumps(mail)  # one-time links stay out of the file
    assert data["audit_events"] == []
    assert services.export_data(member)["audit_events"][0]["action"] == "member.data_exported"


def test_export_without_profile(member):
    data = services.export_data(member)
    assert data["profile"]["shared_with_leaders"] == DEFAULT_SHARED
    assert data["profile"]["country"] is None and data["memberships"] == []


def test_delete_account_anonymizes(member, make_user):
    other = db.session.get(User, make_user(email="other@example.org"))
    save(member)
    council = create_council("Iraqi Council of Berlin", "DE", "Berlin")
    add_member(council, member)
    add_member(council, other)
    queue_mail("Member@Example.org", "en", "reset_password", user=member, url="https://x/r")
    queue_mail(other.email, "en", "reset_password", user=other, url="https://x/r")
    version = member.session_version
    db.session.flush()

    services.delete_account(member)

    assert member.email is None and member.password_hash is None and member.display_name == ""
    assert member.deleted_at is not None and not member.is_active
    assert member.session_version == version + 1
    assert member.profile is None
    assert db.session.scalar(select(func.count()).select_from(Profile)) == 0
    assert db.session.scalars(select(Membership.user_id)).all() == [other.id]
    assert db.session.scalars(select(OutboxMessage.recipient)).all() == ["other@example.org"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "account.deleted"))
    assert event.actor_id == member.id and event.details == {}
    assert services.shared_with_leaders(member) == []
    with force_locale("en"):
        assert services.display_name(member) == "Deleted member"
    assert services.display_name(other) == "Test Member"

"""Factories for the staff tools: members with profiles and councils, made through the services."""

import pytest

from portal.auth.models import Role, User
from portal.auth.services import create_verified_user
from portal.councils.services import create_council, decide_request, request_to_join, set_leader
from portal.database import utcnow
from portal.extensions import db
from portal.members.models import Profile
from tests.conftest import PASSWORD


def add_member(email: str, name: str = "Member", councils=(), pending=(), leader_of=(),
               deleted: bool = False, role: Role = Role.MEMBER, **profile) -> User:
    """A verified account (inside a request context), approved in `councils`, pending in
    `pending`, leader of `leader_of`; a profile when profile fields are given."""
    user = create_verified_user(email, name, PASSWORD, role, "en")
    if profile:
        db.session.add(Profile(user=user, **profile))
    for council in councils:
        decide_request(request_to_join(user, council), True, "", None)
    for council in pending:
        request_to_join(user, council)
    for council in leader_of:
        set_leader(council, user, True)
    if deleted:
        user.deleted_at = utcnow()
    db.session.flush()
    return user


@pytest.fixture
def people(app):
    """A small diaspora, committed: two councils, four members, a leader, staff and admin."""
    with app.test_request_context():
        berlin = create_council("Berlin", "DE", "Berlin")
        malmo = create_council("Malmö", "SE", "Malmö")
        ids = {
            "noor": add_member("noor@example.org", "Noor Hassan", councils=[berlin],
                               country="DE", city="Berlin", governorate="IQ-BG",
                               skills="nursing, Arabic teaching", phone="+49 30 1234",
                               residence_status="asylum_seeker",
                               documentation_needs=["passport", "national_id"]),
            "karwan": add_member("karwan@example.org", "Karwan Aziz", councils=[malmo],
                                 pending=[berlin], country="SE", city="Malmö",
                                 governorate="IQ-SU", skills="welding"),
            "sara": add_member("SARA@example.org", "Sara Ali", country="DE",
                               city="Bad Berlinerstadt", governorate="IQ-BA",
                               skills="100% software_testing"),
            "ghost": add_member("ghost@example.org", "Noor Ghost", deleted=True, country="DE"),
            "leader": add_member("leader@example.org", "Layla Leader", leader_of=[berlin],
                                 country="DE", city="Berlin"),
            "staff": add_member("staff@example.org", "Staff Officer", role=Role.STAFF),
            "admin": add_member("admin@example.org", "Admin", role=Role.ADMIN),
        }
        ids = {name: user.id for name, user in ids.items()}
        db.session.commit()
    return ids

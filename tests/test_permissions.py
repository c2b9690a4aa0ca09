"""The account-wide predicates, for every kind of account."""

import pytest
from flask_login import AnonymousUserMixin

from portal.auth.models import Role, User
from portal.permissions import is_admin, is_staff


@pytest.mark.parametrize(("role", "staff", "admin"), [
    (Role.MEMBER, False, False), (Role.STAFF, True, False), (Role.ADMIN, True, True)])
def test_roles(role, staff, admin):
    user = User(role=role)
    assert (is_staff(user), is_admin(user)) == (staff, admin)


def test_visitors_are_neither():
    visitor = AnonymousUserMixin()
    assert not is_staff(visitor) and not is_admin(visitor)

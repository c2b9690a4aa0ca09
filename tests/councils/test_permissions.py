"""Council predicates for every kind of person and every council state."""

import pytest
from flask_login import AnonymousUserMixin

from portal.auth.services import find_by_email
from portal.councils.models import CouncilStatus
from portal.councils.permissions import can_act_for_members, can_manage_members
from portal.councils.services import find_council


@pytest.mark.parametrize(("who", "active", "suspended"), [
    ("leader", (True, True), (True, False)),
    ("other_leader", (False, False), (False, False)),
    ("member", (False, False), (False, False)),
    ("staff", (True, True), (True, True)),
    ("admin", (True, True), (True, True)),
])
def test_leaders_keep_sight_but_not_powers_while_suspended(ctx, world, who, active, suspended):
    user, council = find_by_email(world[who]), find_council(world["council"])
    assert (can_manage_members(user, council), can_act_for_members(user, council)) == active
    council.status = CouncilStatus.SUSPENDED
    assert (can_manage_members(user, council), can_act_for_members(user, council)) == suspended


def test_visitors_manage_nothing(ctx, world):
    council = find_council(world["council"])
    assert not can_manage_members(AnonymousUserMixin(), council)
    assert not can_act_for_members(AnonymousUserMixin(), council)

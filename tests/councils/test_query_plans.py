"""A council's leaders are found through an index, not among all its members (SQLite's plan)."""

from sqlalchemy import select

from portal.councils.models import Membership, MembershipRole, MembershipStatus
from tests.conftest import query_plan


def test_leaders_come_from_their_own_index(sqlite):
    query = select(Membership.user_id).where(
        Membership.council_id == 1, Membership.role == MembershipRole.LEADER,
        Membership.status == MembershipStatus.APPROVED)
    steps = query_plan(query)
    assert "ix_memberships_council_role" in steps, steps

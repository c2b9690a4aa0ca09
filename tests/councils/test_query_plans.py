"""A council's leaders are found through an index, not among all its members (SQLite's plan)."""

import pytest
from sqlalchemy import select, text

from portal.councils.models import Membership, MembershipRole, MembershipStatus
from portal.extensions import db


def test_leaders_come_from_their_own_index(ctx):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plans")
    query = select(Membership.user_id).where(
        Membership.council_id == 1, Membership.role == MembershipRole.LEADER,
        Membership.status == MembershipStatus.APPROVED)
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    steps = " ".join(row[-1] for row in db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "ix_memberships_council_role" in steps, steps

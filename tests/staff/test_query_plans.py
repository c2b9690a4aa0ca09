"""The staff lists are served by indexes: a page of 50 never sorts or scans every member or
every audit event (SQLite's plans; PostgreSQL chooses by its statistics)."""

import pytest

from portal.staff import services
from portal.staff.services import AuditFilters, MemberFilters
from tests.conftest import query_plan


@pytest.mark.parametrize("filters", [
    MemberFilters(country="DE"), MemberFilters(governorate="IQ-BG"),
    MemberFilters(country="DE", governorate="IQ-BG")])
def test_member_filters_read_an_index_in_order(sqlite, filters):
    query = services._member_query(filters).order_by(services._newest_first(filters)).limit(51)
    steps = query_plan(query)
    assert "USING INDEX ix_profiles_" in steps and "TEMP B-TREE" not in steps, steps


def test_the_unfiltered_member_list_walks_the_primary_key(sqlite):
    filters = MemberFilters()
    steps = query_plan(services._member_query(filters).order_by(services._newest_first(filters)))
    assert "TEMP B-TREE" not in steps, steps


def test_the_audit_log_reads_its_time_index(sqlite):
    steps = query_plan(services._audit_query(AuditFilters()).limit(51))
    assert "TEMP B-TREE" not in steps and "SCAN audit_events USING INDEX" in steps, steps

"""Random data posted to every form and random query strings on every page: never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import log_in
from tests.test_access import announcement, needs_ids, url_for_rule  # noqa: F401  (fixtures)

FIELDS = ["email", "display_name", "password", "password_confirm", "locale", "accept_privacy",
          "remember", "current_password", "code", "country", "city", "governorate", "year_left",
          "occupation", "skills", "languages", "phone", "residence_status",
          "documentation_needs", "shared", "name", "description", "decision", "reason",
          "status", "action", "q", "page", "council", "actor", "date_from", "date_to",
          "title_en", "body_en", "title_ar", "body_ar", "default_locale", "audience",
          "countries", "councils", "pinned", "publish_at", "expires_at", "revision",
          "announcements"]
# Logging out would end the session the other examples need; it takes no input anyway.
SKIPPED = {"auth.logout", "static"}

values = st.one_of(st.text(max_size=300), st.integers().map(str),
                   st.sampled_from(["", " ", "\x00", "TR", "IQ-BG", "approve", "ar", "y",
                                    "9" * 40, "2026-02-30", "-1"]))
form_data = st.dictionaries(st.sampled_from(FIELDS), values, max_size=8)


def endpoints(app, method):
    return sorted(((rule.endpoint, rule) for rule in app.url_map.iter_rules()
                   if method in rule.methods and rule.endpoint not in SKIPPED),
                  key=lambda pair: pair[0])


@pytest.fixture
def staff_client(app, world):
    client = app.test_client()
    log_in(client, world["staff"])
    return client


def _fuzz(app, client, world, method, data):
    from portal.councils.services import find_council

    with app.app_context():
        request_id = find_council(world["council"]).id  # any id: a wrong one must be a 404
    for endpoint, rule in endpoints(app, method):
        path = url_for_rule(app, rule, world, request_id)
        if method == "POST":
            response = client.post(path, data=data)
        else:
            response = client.get(path, query_string=data)
        assert response.status_code < 500, (endpoint, data)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=form_data, address=st.ip_addresses(v=4).map(str))
def test_random_posts_never_fail(app, world, needs_ids, announcement, staff_client, data,  # noqa: F811
                                 address):
    staff_client.environ_base["REMOTE_ADDR"] = address  # so address limits do not stop us early
    _fuzz(app, staff_client, world | {"needs": needs_ids, "announcement": announcement}, "POST",
          data)


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=form_data)
def test_random_query_strings_never_fail(app, world, needs_ids, announcement,  # noqa: F811
                                         staff_client, data):
    _fuzz(app, staff_client, world | {"needs": needs_ids, "announcement": announcement}, "GET",
          data)

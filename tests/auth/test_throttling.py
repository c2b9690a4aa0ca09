"""Brute force: per-account lockout after 5 failures in 15 minutes, per-address limits."""

from sqlalchemy import select

from portal.audit import AuditEvent
from portal.extensions import db
from portal.throttle import hit
from tests.conftest import PASSWORD, log_in


def test_five_failures_block_the_account_from_any_address(app, make_user):
    make_user()
    for n in range(5):
        attacker = app.test_client()
        attacker.environ_base["REMOTE_ADDR"] = f"203.0.113.{n}"
        log_in(attacker, "member@example.org", f"wrong guess {n}")
    owner = app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    response = owner.post("/auth/login?lang=en",
                          data={"email": "member@example.org", "password": PASSWORD})
    assert response.status_code == 200  # refused even with the right password
    assert "Too many failed attempts for this account" in response.get_data(as_text=True)
    with app.app_context():
        actions = list(db.session.scalars(select(AuditEvent.action)))
    assert actions.count("login.failed") == 6


def test_a_password_reset_lifts_the_block(app, client, mailbox, deliver, make_user):
    make_user()
    for n in range(5):
        log_in(client, "member@example.org", f"wrong guess {n}")
    client.post("/auth/reset", data={"email": "member@example.org"})
    deliver()
    path = mailbox.last_link("member@example.org").split("localhost", 1)[1]
    client.post(path, data={"password": "a brand new passphrase",
                            "password_confirm": "a brand new passphrase"})
    assert log_in(client, "member@example.org", "a brand new passphrase").status_code == 302


def test_success_resets_the_count_and_is_audited(app, client, make_user):
    make_user()
    for n in range(4):
        log_in(client, "member@example.org", f"wrong guess {n}")
    assert log_in(client, "member@example.org").status_code == 302
    client.post("/auth/logout")
    for n in range(4):
        log_in(client, "member@example.org", f"wrong again {n}")
    assert log_in(client, "member@example.org").status_code == 302
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "login.succeeded"))
        assert event.actor is not None and event.address == "127.0.0.1"


def test_per_address_limit_on_registration(app, client):
    for _ in range(60):
        client.post("/auth/register", data={"email": "bad"})
    response = client.post("/auth/register?lang=de", data={"email": "bad"})
    assert response.status_code == 429
    assert '<html lang="de"' in response.get_data(as_text=True)
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "198.51.100.9"
    assert other.post("/auth/register", data={"email": "bad"}).status_code == 200


def test_counters_are_shared_through_the_database(app):
    with app.app_context():
        assert [hit("k", 60) for _ in range(3)] == [1, 2, 3]
        assert hit("other", 60) == 1


def test_counters_in_redis_when_configured(app, monkeypatch):
    """CI starts a Redis server and names it in TEST_REDIS_URL."""
    import os

    import pytest

    url = os.environ.get("TEST_REDIS_URL")
    if not url:
        if os.environ.get("CI"):
            pytest.fail("CI must start Redis and set TEST_REDIS_URL")
        pytest.skip("no TEST_REDIS_URL")
    from portal.throttle import current, reset

    monkeypatch.setitem(app.config, "RATELIMIT_STORAGE_URI", url)
    app.extensions.pop("portal_redis", None)
    try:
        with app.app_context():
            reset("redis-test")
            assert [hit("redis-test", 60) for _ in range(3)] == [1, 2, 3]
            assert current("redis-test", 60) == 3
            reset("redis-test")
            assert current("redis-test", 60) == 0
            from portal.throttle import RateCounter

            assert db.session.scalar(select(RateCounter)) is None  # nothing in the database
    finally:
        app.extensions.pop("portal_redis", None)


def test_counters_keep_no_email_and_forget_old_windows(app, make_user):
    from datetime import timedelta

    from portal.database import utcnow
    from portal.throttle import RateCounter

    make_user()
    log_in(app.test_client(), "member@example.org", "wrong guess")
    with app.app_context():
        db.session.add(RateCounter(key="old", window_start=utcnow() - timedelta(days=2), count=3))
        db.session.commit()
        keys = db.session.scalars(select(RateCounter.key)).all()
        assert not any("member@example.org" in key for key in keys)
        hit("fresh-key", 60)
        assert "old" not in db.session.scalars(select(RateCounter.key)).all()

"""Attempt counters shared by every gunicorn process: in the database by default (every host on
one PostgreSQL sees the same counts), in Redis when RATELIMIT_STORAGE_URI names one.
Fixed windows: a counter lives for one window of seconds."""

from datetime import UTC, datetime, timedelta
from functools import wraps

import redis
from flask import abort, current_app, request
from flask_login import current_user
from sqlalchemy import String, delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import UTCDateTime, utcnow
from portal.extensions import db


class RateCounter(db.Model):
    __tablename__ = "rate_counters"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UTCDateTime, primary_key=True)
    count: Mapped[int] = mapped_column(default=0)


def _window_start(seconds: int) -> datetime:
    now = utcnow().timestamp()
    return datetime.fromtimestamp(now - now % seconds, UTC)


def _insert():
    return pg_insert if db.engine.dialect.name == "postgresql" else sqlite_insert


def _redis():
    """The Redis client when one is configured, made once per application."""
    uri = current_app.config["RATELIMIT_STORAGE_URI"]
    if not uri:
        return None
    if "portal_redis" not in current_app.extensions:
        current_app.extensions["portal_redis"] = redis.Redis.from_url(uri)
    return current_app.extensions["portal_redis"]


def _redis_key(key: str, window: int) -> str:
    return f"portal:{key}:{int(_window_start(window).timestamp())}"


def hit(key: str, window: int) -> int:
    """Count one attempt for ``key`` in the current window and return the window's count.

    Runs in its own transaction: a refused request that rolls back still counts.
    """
    if client := _redis():
        with client.pipeline() as pipe:
            name = _redis_key(key, window)
            count, _ = pipe.incr(name).expire(name, window + 1).execute()
        return count
    start = _window_start(window)
    table = RateCounter.__table__
    statement = _insert()(table).values(key=key, window_start=start, count=1)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.key, table.c.window_start], set_={"count": table.c.count + 1}
    ).returning(table.c.count)
    with db.engine.begin() as connection:
        count = connection.execute(statement).scalar_one()
        if count == 1:  # a new window: forget this key's older ones, and everyone's stale ones
            connection.execute(delete(table).where(
                (table.c.key == key) & (table.c.window_start < start)
                | (table.c.window_start < start - timedelta(days=1))))
    return count


def current(key: str, window: int) -> int:
    if client := _redis():
        return int(client.get(_redis_key(key, window)) or 0)
    row = db.session.get(RateCounter, (key, _window_start(window)))
    return row.count if row else 0


def reset(key: str) -> None:
    if client := _redis():
        if names := list(client.scan_iter(f"portal:{key}:*")):
            client.delete(*names)
        return
    db.session.execute(delete(RateCounter).where(RateCounter.key == key))


def seconds_left(window: int) -> int:
    end = _window_start(window) + timedelta(seconds=window)
    return max(1, int((end - utcnow()).total_seconds()))


def limit_per_address(name: str, limit: int, window: int):
    """Refuse (429) more than ``limit`` POSTs to a view from one client address per window."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if request.method == "POST" and \
                    hit(f"{name}:ip:{request.remote_addr}", window) > limit:
                abort(429)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def limit_per_account(name: str, limit_setting: str, window: int):
    """Refuse (429) more POSTs to a view by one signed-in account per window than the setting
    ``limit_setting`` allows.

    Counted per account, not per address: a council's sign-up evening on one Wi-Fi, or one
    mobile carrier's shared address, must not lock out everyone behind it.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            limit = current_app.config[limit_setting]
            if request.method == "POST" and current_user.is_authenticated and \
                    hit(f"{name}:user:{current_user.id}", window) > limit:
                abort(429)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def limit_writes():
    """Every form a signed-in person sends counts against WRITE_LIMIT_PER_HOUR for their
    account (run before each request): a script with a stolen session cannot flood the portal."""
    limit = current_app.config["WRITE_LIMIT_PER_HOUR"]
    if request.method == "POST" and current_user.is_authenticated and \
            hit(f"writes:user:{current_user.id}", 3600) > limit:
        abort(429)

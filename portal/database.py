"""Declarative base, shared column types and SQLite tuning."""

import sqlite3
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum, MetaData, event, func
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


# Ids are 32-bit on PostgreSQL; a larger number can be no row's, and overflows SQLite's integers.
MAX_ID = 2**31 - 1


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Timestamps stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given; use timezone-aware UTC")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def string_enum(enum_class) -> Enum:
    """An enum stored as its string values in a VARCHAR: portable, and new values need no DDL."""
    return Enum(enum_class, native_enum=False, length=16,
                values_callable=lambda members: [m.value for m in members])


def escape_like(text: str) -> str:
    """``text`` for a LIKE pattern with \\ as the escape: %, _ and \\ match literally."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def contains(column, text: str):
    """``column`` contains ``text``, case-insensitively, with %, _ and \\ matched literally."""
    return func.lower(column).like(f"%{escape_like(text.lower())}%", escape="\\")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, _record):
    """Foreign keys on, WAL so readers never wait on the writer, and a busy timeout."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


@event.listens_for(Engine, "savepoint")
def _begin_before_a_first_savepoint(connection, _name):
    """pysqlite begins no transaction before a SAVEPOINT, so releasing one would commit at
    once and a later rollback would keep its rows. Begin first: a deferred BEGIN, which the
    write inside the savepoint upgrades, waiting for other writers like any write does."""
    driver = connection.connection.driver_connection
    if isinstance(driver, sqlite3.Connection) and not driver.in_transaction:
        driver.execute("BEGIN")

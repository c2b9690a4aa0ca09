"""Fixtures: one migrated database per run (SQLite, or TEST_DATABASE_URL), emptied after each test;
a real SMTP server (aiosmtpd) that collects what the outbox sends."""

import os
import re
import socket
from contextlib import contextmanager
from email import message_from_bytes, policy

import pyotp
import pytest
from aiosmtpd.controller import Controller
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, make_url, select, text

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")

from portal import create_app
from portal.auth.models import Role, User
from portal.auth.services import create_verified_user
from portal.extensions import db
from portal.mail import deliver_due

PASSWORD = "correct horse battery"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class Mailbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address: str) -> list:
        return [m for m in self.messages if m["To"] == address]

    def last_link(self, address: str) -> str:
        body = self.to(address)[-1].get_content()
        return re.findall(r"https?://\S+", body)[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def mailbox():
    box = Mailbox()
    box.port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()


def _reset_schema(url: str) -> None:
    if url.startswith("postgresql"):
        db.session.execute(text("DROP SCHEMA public CASCADE"))
        db.session.execute(text("CREATE SCHEMA public"))
        db.session.commit()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id):
    """A SQLite file of this session's, or TEST_DATABASE_URL — with a database of its own
    for each pytest-xdist worker (`make test` runs two), created on the same server."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal.sqlite3'}"
    return url if worker_id == "master" else _worker_database(url, worker_id)


def _worker_database(url: str, worker_id: str) -> str:
    server = make_url(url)
    name = f"{server.database}_{worker_id}"
    engine = create_engine(server, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if not connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                 {"name": name}):
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return server.set(database=name).render_as_string(hide_password=False)


class ClosingClient(FlaskClient):
    """Reads and closes every response, as a WSGI server does: a streamed export otherwise
    keeps its request context open into the next request of the test."""

    def open(self, *args, buffered=True, **kwargs):
        return super().open(*args, buffered=buffered, **kwargs)


@pytest.fixture(scope="session")
def app(database_url, mailbox, tmp_path_factory):
    app = create_app({
        "DEMO_CREDENTIALS_FILE": str(tmp_path_factory.mktemp("instance") / "demo.txt"),
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "PASSWORD_HASH_PROFILE": "CHEAPEST",
        "WTF_CSRF_ENABLED": False,
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": mailbox.port,
        "PORTAL_BASE_URL": "http://localhost",
    })
    app.test_client_class = ClosingClient
    with app.app_context():
        _reset_schema(database_url)
        upgrade()
        db.session.remove()
    return app


@pytest.fixture(autouse=True)
def _empty_database(request, mailbox):
    """Each test starts with empty tables and an empty mailbox."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
    mailbox.messages.clear()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def ctx(app):
    """A request context for calling services directly."""
    with app.test_request_context():
        yield
        db.session.rollback()


@pytest.fixture
def make_user(app):
    """Create a verified user; returns its id and email (objects would outlive their session)."""

    def make(email="member@example.org", role=Role.MEMBER, locale="en", name="Test Member",
             password=PASSWORD):
        with app.app_context():
            user = create_verified_user(email, name, password, role, locale)
            db.session.commit()
            return user.id

    return make


@pytest.fixture
def deliver(app):
    """Run the outbox worker once, as `flask outbox work --once` does."""

    def run() -> int:
        with app.app_context():
            return deliver_due()

    return run


@contextmanager
def counted_statements():
    """Collect the SQL statements run inside the block, to assert a page's query count."""
    statements = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def log_in(client, email, password=PASSWORD):
    """Log in through the form; ministry accounts get 2FA (a known secret) and pass it too."""
    app = client.application
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email.lower()))
        if user and user.is_staff and not user.has_two_factor:
            user.totp_secret = TOTP_SECRET
            db.session.commit()
    response = client.post("/auth/login", data={"email": email, "password": password})
    if not response.headers.get("Location", "").endswith("/auth/2fa/verify"):
        return response
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email.lower()))
        user.totp_last_step = 0  # as if the next 30-second step had come
        db.session.commit()
    return client.post("/auth/2fa/verify", data={"code": pyotp.TOTP(TOTP_SECRET).now()})


@pytest.fixture
def world(app):
    """Two active councils, each with a leader and a member, plus staff and an admin.

    Returns plain values (emails, slugs, ids) keyed by role name.
    """
    from portal.councils.services import add_member, create_council

    with app.test_request_context():
        a = create_council("Iraqi Council of Istanbul", "TR", "Istanbul")
        b = create_council("Iraqi Council of Berlin", "DE", "Berlin")
        people = {}
        for key, role in [("member", Role.MEMBER), ("other_member", Role.MEMBER),
                          ("leader", Role.MEMBER), ("other_leader", Role.MEMBER),
                          ("staff", Role.STAFF), ("admin", Role.ADMIN),
                          ("outsider", Role.MEMBER)]:
            people[key] = create_verified_user(f"{key}@example.org", key.title(), PASSWORD,
                                               role, "en")
        add_member(a, people["member"])
        add_member(b, people["other_member"])
        add_member(a, people["leader"], leader=True)
        add_member(b, people["other_leader"], leader=True)
        db.session.commit()
        result = {key: user.email for key, user in people.items()}
        result |= {"ids": {key: user.id for key, user in people.items()},
                   "council": a.slug, "other_council": b.slug,
                   "council_id": a.id, "other_council_id": b.id}
        return result


def query_plan(query) -> str:
    """SQLite's plan of ``query``, one step a line (see the ``sqlite`` fixture)."""
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})
    rows = db.session.execute(text(f"EXPLAIN QUERY PLAN {compiled}")).all()
    return "\n".join(row[-1] for row in rows)


@pytest.fixture
def sqlite(ctx):
    """A request context on SQLite, whose plans the tests read; skipped on PostgreSQL, which
    chooses by its statistics."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plans")

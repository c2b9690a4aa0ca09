"""Operator commands."""

import re
import stat

import pyotp
import pytest
from sqlalchemy import func, select

from portal import create_app
from portal.auth.models import Role, User
from portal.extensions import db
from tests.conftest import log_in


def test_users_create_reads_the_password_from_stdin(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create", "Officer@MoMD.gov.iq", "--role", "staff",
                                 "--name", "Officer", "--password-stdin", "--locale", "en"],
                           input="a long staff password\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User))
        assert (user.email, user.role, user.locale) == ("officer@momd.gov.iq", Role.STAFF, "en")
        assert user.email_verified_at is not None
    assert log_in(client, "officer@momd.gov.iq", "a long staff password").status_code == 302


def test_users_create_refuses_bad_input(app, make_user):
    make_user(email="taken@example.org")
    runner = app.test_cli_runner()
    base = ["users", "create", "--name", "X", "--password-stdin"]
    assert runner.invoke(args=[*base, "new@example.org"], input="short\n").exit_code != 0
    assert runner.invoke(args=[*base, "taken@example.org"], input="long enough pw\n").exit_code != 0
    assert runner.invoke(args=[*base, "new@example.org", "--role", "king"],
                         input="long enough pw\n").exit_code != 0


@pytest.fixture
def demo_file(app, tmp_path, monkeypatch):
    """Where `demo load` writes the credentials: a temporary file, not the real instance/."""
    path = tmp_path / "demo-credentials.txt"
    monkeypatch.setitem(app.config, "DEMO_CREDENTIALS_FILE", str(path))
    return path


def test_demo_load_is_idempotent_and_flags_every_account(app, demo_file):
    runner = app.test_cli_runner()
    assert "demo data loaded" in runner.invoke(args=["demo", "load"]).output
    with app.app_context():
        flags = list(db.session.scalars(select(User.is_demo)))
    assert len(flags) >= 8 and all(flags)
    assert "nothing loaded" in runner.invoke(args=["demo", "load"]).output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == len(flags)


def test_demo_credentials_are_random_and_readable_by_their_owner_only(app, client, demo_file):
    demo_file.write_text("an older file, readable by all")
    demo_file.chmod(0o644)
    output = app.test_cli_runner().invoke(args=["demo", "load"]).output
    text = demo_file.read_text()
    assert stat.S_IMODE(demo_file.stat().st_mode) == 0o600
    assert text in output and "demo-portal-2026" not in text
    password, secret, uri = re.search(r"staff@demo\.momd\.gov\.iq \(staff\)\n"
                                      r"  password: +(\S+)\n  TOTP secret: (\S+)\n  (\S+)",
                                      text).groups()
    assert pyotp.parse_uri(uri).secret == secret and len(password) >= 20
    response = client.post("/auth/login", data={"email": "staff@demo.momd.gov.iq",
                                                 "password": password})
    assert response.headers["Location"].endswith("/auth/2fa/verify")
    response = client.post("/auth/2fa/verify", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and "2fa" not in response.headers["Location"]
    [member_password] = set(re.findall(r"\(member\)  password: (\S+)", text))
    assert member_password != password
    assert log_in(app.test_client(), "shno@demo.example", member_password).status_code == 302


def test_demo_load_refuses_production(app, demo_file, monkeypatch):
    monkeypatch.setitem(app.config, "PORTAL_ENV", "production")
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code != 0 and not demo_file.exists()


def test_demo_remove_anonymizes_the_accounts_and_deletes_the_demo_councils(app, demo_file,
                                                                           make_user):
    from portal.councils.models import Council
    from portal.councils.services import add_member
    from portal.needs.models import NeedsReport, Question, ReportStatus, Tally

    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "load"])
    real = make_user(email="real@example.org")
    with app.app_context():
        istanbul = db.session.scalar(select(Council).where(Council.city == "Istanbul"))
        add_member(istanbul, db.session.get(User, real))
        db.session.commit()
    result = runner.invoke(args=["demo", "remove"])
    assert result.exit_code == 0, result.output
    assert "demo councils deleted" in result.output and not demo_file.exists()
    with app.app_context():
        left = db.session.scalars(select(User).where(User.is_demo)).all()
        assert left and all(u.deleted_at and u.email is None for u in left)
        assert [c.city for c in db.session.scalars(select(Council))] == ["Istanbul"]
        # The dashboard counts only the reports still there: the Istanbul council's.
        kept = db.session.scalar(select(func.count()).select_from(NeedsReport).where(
            NeedsReport.status != ReportStatus.DRAFT))
        households = select(func.coalesce(func.sum(Tally.answers), 0)).join(Question).where(
            Question.name == "households")
        assert db.session.scalar(households) == kept
    create_app({**app.config, "PORTAL_ENV": "production",
                "PORTAL_BASE_URL": "https://portal.example.org"})  # serves again


def test_outbox_work_once_delivers_over_smtp(app, client, mailbox):
    client.post("/auth/reset", data={"email": "nobody@example.org"})
    client.post("/auth/register", data={
        "email": "new@example.org", "display_name": "New", "password": "long enough pw",
        "password_confirm": "long enough pw", "locale": "de", "accept_privacy": "y"})
    result = app.test_cli_runner().invoke(args=["outbox", "work", "--once"])
    assert result.output.strip() == "1 sent"
    [mail] = mailbox.to("new@example.org")
    assert mail["Subject"] and "/auth/verify/" in mail.get_content()


def test_outbox_work_once_sends_every_batch_due(app, mailbox):
    """An announcement's thousands of messages go batch after batch, not 50 a poll."""
    from portal.mail import queue_mail

    with app.test_request_context():
        for n in range(120):
            queue_mail(f"member{n}@example.org", "en", "verify_email",
                       user=User(display_name="Someone"), url="http://localhost/x")
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["outbox", "work", "--once"])
    assert result.output.strip() == "120 sent" and len(mailbox.messages) == 120


def test_outbox_retries_when_smtp_is_down(app, ctx, monkeypatch):
    from portal.mail import OutboxMessage, OutboxStatus, deliver_due, queue_mail

    queue_mail("someone@example.org", "en", "verify_email",
               user=User(display_name="Someone"), url="http://localhost/x")
    db.session.commit()
    monkeypatch.setitem(app.config, "MAIL_PORT", 1)  # nothing listens there
    assert deliver_due() == 0
    message = db.session.scalar(select(OutboxMessage))
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert message.last_error and message.next_attempt_at > message.created_at


def test_suspension_ends_every_session_and_refuses_logins(app, make_user):
    from portal.audit import AuditEvent

    make_user()
    client = app.test_client()
    log_in(client, "member@example.org")
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "suspend", "member@example.org"]).exit_code == 0
    assert client.get("/me").status_code == 302  # the open session is over
    assert log_in(app.test_client(), "member@example.org").status_code == 200  # refused
    assert runner.invoke(args=["users", "suspend", "member@example.org", "--lift"]).exit_code == 0
    assert log_in(app.test_client(), "member@example.org").status_code == 302
    with app.app_context():
        actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"account.suspended", "account.reactivated"} <= actions
    assert runner.invoke(args=["users", "suspend", "nobody@example.org"]).exit_code != 0


def test_role_change_is_audited_and_applies_at_once(app, make_user):
    from portal.audit import AuditEvent

    make_user()
    client = app.test_client()
    log_in(client, "member@example.org")
    result = app.test_cli_runner().invoke(args=["users", "set-role", "member@example.org",
                                                "staff"])
    assert result.exit_code == 0, result.output
    assert client.get("/me").status_code == 302
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "account.role_changed"))
        assert event.details == {"old": "member", "new": "staff"}


def test_logged_values_cannot_forge_lines(app, caplog):
    import logging

    from flask.logging import default_handler

    record = logging.LogRecord("portal", logging.WARNING, __file__, 1, "user said %s",
                               ("hi\nERROR forged line",), None)
    for log_filter in default_handler.filters:
        log_filter.filter(record)
    assert record.getMessage() == "user said hi\\nERROR forged line"


def test_users_create_refuses_a_weak_password_in_plain_english(app):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "omar@example.org", "--name", "Omar", "--password-stdin"],
        input="omar is my long password\n")
    assert result.exit_code != 0
    assert "Please do not build your password on your email address." in result.output

"""Outbox: mail is written in the transaction that caused it and delivered by a worker."""

import contextlib
import enum
import logging
import smtplib
import time
import unicodedata
from datetime import datetime, timedelta
from email.message import EmailMessage
from urllib.parse import urlsplit

import click
from flask import current_app, render_template
from flask.cli import AppGroup
from flask_babel import force_locale
from markupsafe import escape
from sqlalchemy import JSON, ForeignKey, String, Text, or_, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.database import TimestampMixin, UTCDateTime, string_enum, utcnow
from portal.extensions import db

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
# How long a claimed message is one worker's: longer than a batch takes to send.
LEASE = timedelta(minutes=10)


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a worker until claimed_until
    SENT = "sent"
    FAILED = "failed"


# Stands for the recipient's unsubscribe address in a body shared by many messages. A control
# character: no text a person typed into the portal keeps one.
UNSUBSCRIBE_MARK = "\x1aunsubscribe\x1a"


class MailContent(db.Model):
    """The bodies of a mail sent to many people alike (an announcement in one language): stored
    once, however many messages use it."""

    __tablename__ = "mail_contents"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)  # what it is the mail of
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxMessage(TimestampMixin, db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(200))
    # The bodies are the message's own, or a shared content's (then body_text is None).
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    content_id: Mapped[int | None] = mapped_column(
        ForeignKey("mail_contents.id", ondelete="CASCADE"), index=True)
    # Extra headers, such as List-Unsubscribe, by name.
    headers: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[OutboxStatus] = mapped_column(
        string_enum(OutboxStatus), default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))

    content: Mapped[MailContent | None] = relationship()

    def bodies(self) -> tuple[str, str | None]:
        """The text and HTML bodies, the recipient's unsubscribe address filled in."""
        if self.content is None:
            return self.body_text or "", self.body_html
        address = (self.headers or {}).get("List-Unsubscribe", "").strip("<>")
        html = self.content.body_html
        return (self.content.body_text.replace(UNSUBSCRIBE_MARK, address),
                html.replace(UNSUBSCRIBE_MARK, str(escape(address))) if html else None)


def link(endpoint: str, **values) -> str:
    """An absolute address for a mail, on the configured PORTAL_BASE_URL: never on the Host
    header of the request that caused the mail, which anyone can set. Built without the
    request, so that a command (which has none) can mail a link too."""
    base = urlsplit(current_app.config["PORTAL_BASE_URL"])
    urls = current_app.url_map.bind(base.netloc, script_name=base.path or "/",
                                    url_scheme=base.scheme)
    return urls.build(endpoint, values, force_external=True)


def queue_mail(recipient: str, locale: str, template: str, **context) -> OutboxMessage:
    """Render mail/<template>.txt in the recipient's language and add it to the session.

    The first line of the template is the subject. The caller commits, so the message
    exists exactly when the change that caused it does.
    """
    with force_locale(locale):
        subject, _, body = render_template(f"mail/{template}.txt", **context).partition("\n")
    message = OutboxMessage(recipient=header_value(recipient), locale=locale,
                            subject=header_value(subject), body_text=body.strip() + "\n")
    db.session.add(message)
    return message


# Control characters (Cc: \r, \n, U+0085, …) and line and paragraph separators (Zl, Zp).
_BREAKING = {"Cc", "Zl", "Zp"}


def header_value(text: str) -> str:
    """One line of text for a mail header. A line break (``\\r``, U+0085, U+2028, …) or another
    control character typed into a council's or a person's name would break the header, and
    the mail library refuses to send such a message at all."""
    kept = "".join(" " if unicodedata.category(char) in _BREAKING else char for char in text)
    return " ".join(kept.split())


def _claim(limit: int) -> tuple[list[int], datetime]:
    """Mark a batch of due messages as this worker's until the lease ends, in one short
    transaction; return their ids and the lease.

    Due means pending and its time has come, or claimed by a worker whose lease ran out (it
    stopped). The claim is one UPDATE, so two workers never claim one message: on PostgreSQL
    the rows another worker is claiming are skipped (SKIP LOCKED), SQLite runs writes one at a
    time. Committing the claim at once keeps the locks short, and lets each message's outcome
    be committed on its own without releasing the other claims.

    The batch is a MATERIALIZED CTE so that PostgreSQL picks it once. As a plain `IN (SELECT
    … LIMIT … SKIP LOCKED)`, the planner may rescan it for each row it updates; every rescan
    skips the rows already updated and takes the next ones, and one worker claimed the whole
    queue (seen in the test of two workers).
    """
    now = utcnow()
    lease = now + LEASE
    due = (
        select(OutboxMessage.id)
        .where(or_(
            (OutboxMessage.status == OutboxStatus.PENDING) & (OutboxMessage.next_attempt_at <= now),
            (OutboxMessage.status == OutboxStatus.SENDING) & (OutboxMessage.claimed_until <= now),
        ))
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .cte("due")
        .prefix_with("MATERIALIZED", dialect="postgresql")
    )
    claimed = db.session.scalars(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(select(due.c.id)))
        .values(status=OutboxStatus.SENDING, claimed_until=lease)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    ).all()
    db.session.commit()
    return sorted(claimed), lease


def _email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    text, html = message.bodies()
    email.set_content(text)
    if html:
        email.add_alternative(html, subtype="html")
    email["Content-Language"] = message.locale  # after set_content, which drops Content-* headers
    for name, value in (message.headers or {}).items():
        email[name] = value
    return email


class _Connection:
    """One SMTP connection for a batch, opened at the first message and opened again when the
    server has dropped it. Without MAIL_SERVER, messages are written to the log."""

    def __init__(self, config):
        self.server, self.port = config["MAIL_SERVER"], config["MAIL_PORT"]
        self.smtp: smtplib.SMTP | None = None

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError):  # smtplib's errors are OSErrors too
                self.smtp.quit()
        self._drop()

    def send(self, message: OutboxMessage) -> None:
        email = _email(message)
        if not self.server:
            _log_instead(message)
            return
        try:
            self._open().send_message(email)
        except smtplib.SMTPServerDisconnected:  # idle too long, or a per-connection limit
            self._drop()
            self._open().send_message(email)
        except OSError:  # the connection's state is unknown: the next message starts afresh
            self._drop()
            raise

    def _drop(self) -> None:
        if self.smtp is not None:
            self.smtp.close()
        self.smtp = None

    def _open(self) -> smtplib.SMTP:
        if self.smtp is None:
            self.smtp = smtplib.SMTP(self.server, self.port, timeout=30)
        return self.smtp


def _log_instead(message: OutboxMessage) -> None:
    log.warning("Mail not sent (no MAIL_SERVER) to %s: %s", message.recipient, message.subject)
    for line in message.bodies()[0].splitlines():
        log.warning("| %s", line)


def _deliver(message: OutboxMessage, connection: _Connection) -> bool:
    """Send one message and record the outcome. Any error is this message's alone: it is
    retried later with a growing delay, and given up after MAX_ATTEMPTS."""
    message.attempts += 1
    message.claimed_until = None
    try:
        connection.send(message)
    except Exception as error:  # whatever it is, the next message still goes
        log.warning("Mail %s failed (attempt %s): %r", message.id, message.attempts, error)
        message.last_error = f"{type(error).__name__}: {error}"[:500]
        message.next_attempt_at = utcnow() + timedelta(seconds=30 * 2**message.attempts)
        failed = message.attempts >= MAX_ATTEMPTS
        message.status = OutboxStatus.FAILED if failed else OutboxStatus.PENDING
        return False
    message.status, message.sent_at = OutboxStatus.SENT, utcnow()
    return True


def deliver_due(limit: int = 50) -> int:
    """Claim a batch of due messages, send them over one connection and commit each outcome
    at once, so that nothing sent is sent again when a later message fails or the worker
    stops; return how many went."""
    claimed, lease = _claim(limit)
    sent = 0
    with _Connection(current_app.config) as connection:
        for message_id in claimed:
            if utcnow() >= lease:
                break  # the rest may be another worker's by now; they will be claimed again
            message = db.session.get(OutboxMessage, message_id)
            if message is not None:  # else erased with its recipient's account since the claim
                sent += _deliver(message, connection)
                db.session.commit()
    return sent


def run_jobs() -> None:
    """Run the jobs that write mail on a schedule (a needs round's reminders), each committed
    on its own. create_app lists them in app.extensions["outbox_jobs"]: the features that
    mail depend on this module, so it cannot import them. A failing job is logged and the
    mail already due still goes."""
    for job in current_app.extensions.get("outbox_jobs", ()):
        try:
            job()
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("Outbox job %s failed", job.__name__)


outbox_cli = AppGroup("outbox", help="Deliver queued mail.")


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Deliver what is due now, then stop.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
def work_command(once: bool, interval: float) -> None:
    """Deliver queued mail over SMTP, retrying failures."""
    while True:
        run_jobs()
        sent = deliver_all_due()
        if once:
            click.echo(f"{sent} sent")
            return
        time.sleep(interval)


def deliver_all_due() -> int:
    """Batch after batch until a batch sends nothing: an announcement to 100,000 members goes
    out at the server's pace, not 50 messages per poll. Messages that fail wait for their
    next attempt, so the loop ends."""
    total = 0
    while sent := deliver_due():
        total += sent
    return total

"""Outbox: mail is written in the transaction that caused it and delivered by a worker."""

import enum
import logging
import smtplib
import time
from datetime import datetime, timedelta
from email.message import EmailMessage

import click
from flask import current_app, render_template, url_for
from flask.cli import AppGroup
from flask_babel import force_locale
from sqlalchemy import String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from portal.database import TimestampMixin, UTCDateTime, string_enum, utcnow
from portal.extensions import db

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a worker until claimed_until
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(TimestampMixin, db.Model):
    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254))
    locale: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(200))
    body_text: Mapped[str] = mapped_column(Text)
    status: Mapped[OutboxStatus] = mapped_column(
        string_enum(OutboxStatus), default=OutboxStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(String(500))


def link(endpoint: str, **values) -> str:
    """An absolute address for a mail, on the configured PORTAL_BASE_URL: never on the Host
    header of the request that caused the mail, which anyone can set."""
    base = current_app.config["PORTAL_BASE_URL"].rstrip("/")
    return base + url_for(endpoint, **values)


def queue_mail(recipient: str, locale: str, template: str, **context) -> OutboxMessage:
    """Render mail/<template>.txt in the recipient's language and add it to the session.

    The first line of the template is the subject. The caller commits, so the message
    exists exactly when the change that caused it does.
    """
    with force_locale(locale):
        subject, _, body = render_template(f"mail/{template}.txt", **context).partition("\n")
    message = OutboxMessage(
        recipient=recipient, locale=locale, subject=subject.strip(), body_text=body.strip() + "\n"
    )
    db.session.add(message)
    return message


def _due_messages(limit: int) -> list[OutboxMessage]:
    query = (
        select(OutboxMessage)
        .where(OutboxMessage.status == OutboxStatus.PENDING,
               OutboxMessage.next_attempt_at <= utcnow())
        .order_by(OutboxMessage.id)
        .limit(limit)
        # Several workers share the queue without sending a message twice (no-op on SQLite).
        .with_for_update(skip_locked=True)
    )
    return list(db.session.scalars(query))


def _send(message: OutboxMessage) -> None:
    config = current_app.config
    if not config["MAIL_SERVER"]:
        log.warning("Mail not sent (no MAIL_SERVER) to %s: %s", message.recipient, message.subject)
        for line in message.body_text.splitlines():
            log.warning("| %s", line)
        return
    email = EmailMessage()
    email["From"] = config["MAIL_DEFAULT_SENDER"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email.set_content(message.body_text)
    email["Content-Language"] = message.locale  # after set_content, which drops Content-* headers
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        smtp.send_message(email)


def deliver_due(limit: int = 50) -> int:
    """Try each due message once, backing off exponentially after failures; return how many went."""
    sent = 0
    for message in _due_messages(limit):
        message.attempts += 1
        try:
            _send(message)
        except (OSError, smtplib.SMTPException) as error:
            message.last_error = str(error)[:500]
            message.next_attempt_at = utcnow() + timedelta(seconds=30 * 2**message.attempts)
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = utcnow()
            sent += 1
    db.session.commit()
    return sent


outbox_cli = AppGroup("outbox", help="Deliver queued mail.")


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Deliver what is due now, then stop.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between polls.")
def work_command(once: bool, interval: float) -> None:
    """Deliver queued mail over SMTP, retrying failures."""
    while True:
        sent = deliver_due()
        if once:
            click.echo(f"{sent} sent")
            return
        time.sleep(interval)

"""The outbox: mailed links on the configured address, clean headers, and a worker that sends
each message once however its neighbours fare."""

import re
import smtplib
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select, text, update

from portal import create_app, mail
from portal.auth.models import User
from portal.councils.models import Council
from portal.database import utcnow
from portal.extensions import db
from portal.mail import MAX_ATTEMPTS, OutboxMessage, OutboxStatus, queue_mail

REGISTRATION = {"display_name": "New", "password": "long enough pw",
                "password_confirm": "long enough pw", "locale": "en", "accept_privacy": "y"}
FORGED_HOSTS = [{"Host": "evil.com"}, {"X-Forwarded-Host": "evil.com"},
                {"Host": "evil.com", "X-Forwarded-Host": "evil.com"}]


def _links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.get_content())


@pytest.mark.parametrize("headers", FORGED_HOSTS)
def test_mailed_links_ignore_the_host_the_request_names(app, mailbox, deliver, make_user,
                                                         headers):
    make_user(email="member@example.org")
    behind_proxy = create_app({**app.config, "PROXY_COUNT": 1})  # X-Forwarded-Host believed
    for client in (app.test_client(), behind_proxy.test_client()):
        client.post("/auth/reset", data={"email": "member@example.org"}, headers=headers)
        client.post("/auth/register", data={**REGISTRATION, "email": "member@example.org"},
                    headers=headers)  # taken: its owner is told, with a reset link
    app.test_client().post("/auth/register", data={**REGISTRATION, "email": "new@example.org"},
                           headers=headers)  # verification
    deliver()
    messages = mailbox.to("member@example.org") + mailbox.to("new@example.org")
    assert len(messages) == 5
    for message in messages:
        assert _links(message) and all(link.startswith("http://localhost/")
                                       for link in _links(message))
        assert "evil.com" not in message.get_content()


@pytest.mark.parametrize("separator", ["\r", "\n", "\r\n", "\x85", "\u2028", "\u2029", "\x0b",
                                       "\x0c", "\x1c", "\x1d", "\x1e", "\x00", "\x1b", "\t"])
def test_header_values_are_one_line(separator):
    assert mail.header_value(f" Iraqi{separator}Council ") == "Iraqi Council"


def test_right_to_left_marks_stay_in_headers():
    assert mail.header_value("مجلس\u200f Berlin") == "مجلس\u200f Berlin"


def _queue(recipient: str, council_name: str = "Iraqi Council of Ankara") -> None:
    queue_mail(recipient, "en", "membership_decided", user=User(display_name="Member"),
               council=Council(name=council_name), approved=True, reason="",
               url="http://localhost/me")


def _status(recipient: str) -> OutboxMessage:
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == recipient))


def test_a_council_named_with_line_separators_is_mailed_on_one_line(ctx, mailbox, deliver):
    _queue("member@example.org", "Iraqi\u2028Council\r of\x85 Ankara\u2029")
    db.session.commit()
    assert _status("member@example.org").subject == "Welcome to Iraqi Council of Ankara"
    assert deliver() == 1
    [message] = mailbox.to("member@example.org")
    assert message["Subject"] == "Welcome to Iraqi Council of Ankara"


def _failing_for(recipient: str, error: BaseException):
    """mail._email, raising ``error`` while building the message to ``recipient``."""
    build = mail._email

    def email(message):
        if message.recipient == recipient:
            raise error
        return build(message)

    return email


def test_a_failing_message_is_marked_and_the_others_go(ctx, mailbox, deliver, monkeypatch):
    for name in ("a", "b", "c"):
        _queue(f"{name}@example.org")
    db.session.commit()
    monkeypatch.setattr(mail, "_email", _failing_for("b@example.org", ValueError("bad header")))
    assert deliver() == 2
    assert [m["To"] for m in mailbox.messages] == ["a@example.org", "c@example.org"]
    db.session.expire_all()
    failed = _status("b@example.org")
    assert (failed.status, failed.attempts) == (OutboxStatus.PENDING, 1)
    assert failed.last_error == "ValueError: bad header"
    assert failed.next_attempt_at > utcnow() and failed.claimed_until is None
    assert _status("a@example.org").status == OutboxStatus.SENT


def test_a_message_that_keeps_failing_is_given_up(ctx, deliver, monkeypatch):
    _queue("b@example.org")
    db.session.commit()
    monkeypatch.setattr(mail, "_email", _failing_for("b@example.org", ValueError("bad header")))
    for _ in range(MAX_ATTEMPTS):
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
        deliver()
    db.session.expire_all()
    assert (_status("b@example.org").status, _status("b@example.org").attempts) == (
        OutboxStatus.FAILED, MAX_ATTEMPTS)


def _let_the_lease_run_out() -> None:
    db.session.execute(update(OutboxMessage).where(
        OutboxMessage.status == OutboxStatus.SENDING).values(claimed_until=utcnow()))
    db.session.commit()


def test_a_worker_stopped_mid_batch_never_sends_a_message_twice(ctx, mailbox, deliver,
                                                                  monkeypatch):
    for name in ("a", "b", "c"):
        _queue(f"{name}@example.org")
    db.session.commit()
    with monkeypatch.context() as patch:
        patch.setattr(mail, "_email", _failing_for("b@example.org", KeyboardInterrupt()))
        with pytest.raises(KeyboardInterrupt):  # the worker is killed while sending b
            deliver()
    db.session.expire_all()
    assert _status("a@example.org").status == OutboxStatus.SENT
    assert _status("b@example.org").status == OutboxStatus.SENDING
    assert deliver() == 0  # b and c are still claimed by the stopped worker
    _let_the_lease_run_out()
    assert deliver() == 2
    assert sorted(m["To"] for m in mailbox.messages) == [
        "a@example.org", "b@example.org", "c@example.org"]


def test_a_message_erased_after_the_claim_is_skipped(ctx, mailbox, deliver, monkeypatch):
    _queue("a@example.org")
    _queue("b@example.org")
    db.session.commit()
    claim = mail._claim

    def claim_then_erase(limit):
        claimed = claim(limit)
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.recipient == "a@example.org"))
        db.session.commit()  # as deleting the account of a@ does
        return claimed

    monkeypatch.setattr(mail, "_claim", claim_then_erase)
    assert deliver() == 1
    assert [m["To"] for m in mailbox.messages] == ["b@example.org"]


def test_a_batch_goes_over_one_connection_opened_again_when_dropped(ctx, mailbox, deliver,
                                                                     monkeypatch):
    for name in ("a", "b", "c", "d"):
        _queue(f"{name}@example.org")
    db.session.commit()
    opened, dropped = [], []

    class CountingSMTP(smtplib.SMTP):
        def __init__(self, *args, **kwargs):
            opened.append(self)
            super().__init__(*args, **kwargs)

        def send_message(self, message, *args, **kwargs):
            if message["To"] == "c@example.org" and not dropped:
                dropped.append(message["To"])
                raise smtplib.SMTPServerDisconnected("the server closed the connection")
            return super().send_message(message, *args, **kwargs)

    monkeypatch.setattr(mail.smtplib, "SMTP", CountingSMTP)
    assert deliver() == 4
    assert len(opened) == 2 and len(mailbox.messages) == 4


def test_a_claimed_message_is_not_claimed_again_until_its_lease_ends(ctx):
    _queue("a@example.org")
    db.session.commit()
    claimed, lease = mail._claim(10)
    assert len(claimed) == 1 and lease > utcnow() + timedelta(minutes=5)
    assert mail._claim(10)[0] == []
    _let_the_lease_run_out()
    assert mail._claim(10)[0] == claimed


# Planner settings under which PostgreSQL runs an `IN (SELECT … LIMIT … SKIP LOCKED)` once
# for each row it updates, each run skipping what the last updated: every message is claimed.
RESCAN_EACH_ROW = ("enable_hashjoin", "enable_mergejoin", "enable_material", "enable_hashagg",
                   "enable_sort", "enable_seqscan", "enable_bitmapscan", "enable_memoize")


def test_a_claim_takes_no_more_than_its_batch_whatever_the_plan(ctx):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's planner (SQLite runs writes one at a time)")
    for number in range(30):
        _queue(f"m{number}@example.org")
    db.session.commit()
    db.session.execute(text("ANALYZE outbox_messages"))
    for setting in RESCAN_EACH_ROW:  # for the claim's transaction only
        db.session.execute(text(f"SET LOCAL {setting} = off"))
    claimed, _ = mail._claim(4)
    still_pending = db.session.scalar(select(func.count()).where(
        OutboxMessage.status == OutboxStatus.PENDING))
    assert (len(claimed), still_pending) == (4, 26)  # the rest is left to the next worker


def _waiting() -> int:
    """Messages not yet sent (pending, or claimed by a worker that is sending them)."""
    db.session.rollback()  # a fresh look at what the other worker committed
    return db.session.scalar(select(func.count()).select_from(mail.OutboxMessage).where(
        mail.OutboxMessage.status.in_([mail.OutboxStatus.PENDING, mail.OutboxStatus.SENDING])))


def test_two_workers_send_each_message_once(app, ctx, mailbox, monkeypatch):
    """Meant for PostgreSQL (SKIP LOCKED), where several workers share the queue."""
    recipients = [f"m{n}@example.org" for n in range(30)]
    for recipient in recipients:
        _queue(recipient)
    db.session.commit()
    send, first, other_has_sent = mail._Connection.send, [], threading.Event()
    first_lock = threading.Lock()

    def send_once_the_other_has(connection, message):
        # The first worker to send holds its claimed batch until the other has sent from a
        # batch of its own: both take part however the threads are scheduled.
        me = threading.current_thread().name
        with first_lock:
            waits = not first  # only the first message waits: a stuck test costs a minute
            if waits:
                first.append(me)
        if waits:
            other_has_sent.wait(timeout=60)  # a loaded CI machine may take its time
        elif me != first[0]:
            other_has_sent.set()
        send(connection, message)

    monkeypatch.setattr(mail._Connection, "send", send_once_the_other_has)
    start, errors, sent = threading.Barrier(2), [], [0, 0]

    def worker(number):
        try:
            with app.app_context():
                start.wait()
                while _waiting():  # a worker finding every due message claimed tries again
                    batch = mail.deliver_due(limit=4)
                    sent[number] += batch
                    if not batch:
                        time.sleep(0.01)
                db.session.remove()
        except Exception as error:  # reported by the test, not lost in the thread
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(number,), name=f"worker-{number}")
               for number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and all(sent)  # both workers took part
    assert sorted(m["To"] for m in mailbox.messages) == sorted(recipients)



def test_links_are_built_without_a_request(app, monkeypatch):
    """A command (`users create --totp-secret` mails the owner) has no request to build on."""
    with app.app_context():
        assert mail.link("auth.reset_request") == "http://localhost/auth/reset"
        monkeypatch.setitem(app.config, "PORTAL_BASE_URL", "https://example.org/portal/")
        assert mail.link("main.about") == "https://example.org/portal/about"

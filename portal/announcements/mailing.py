"""Announcements by mail: the fan-out the outbox worker runs, and unsubscribing.

The request that publishes does no work per recipient. Each pass of `flask outbox work` finds
announcements that owe mail and writes it in batches: each batch records its recipients in
``announcement_recipients`` and queues their messages in one transaction, so a worker killed
mid-way leaves whole batches behind it and the next pass starts with the first member not yet
recorded — nobody is mailed twice, nobody is skipped. Each language's body is rendered once
(MailContent) and shared by all the messages in that language.
"""

from functools import lru_cache

from flask import current_app, render_template
from flask_babel import force_locale
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import exists, func, select

from portal import audit
from portal.announcements.audience import reach_of
from portal.announcements.models import Announcement, AnnouncementRecipient, shown_at
from portal.auth.models import User
from portal.bulk import bulk_insert
from portal.database import utcnow
from portal.extensions import db
from portal.mail import UNSUBSCRIBE_MARK, MailContent, OutboxMessage, header_value, link

BATCH = 1000
WINDOW = 5  # batches' worth of account ids read at a time
_SALT = "announcement-mail"
_TOKEN = "TOKEN"  # noqa: S105  (where each token goes in the unsubscribe address)


def _signer() -> URLSafeSerializer:
    return _signer_for(current_app.secret_key)


@lru_cache(maxsize=4)
def _signer_for(secret_key) -> URLSafeSerializer:
    """Made once: a fan-out signs a token for each of 100,000 members."""
    return URLSafeSerializer(secret_key, salt=_SALT)


def unsubscribe_token(user_id: int, version: int) -> str:
    """A link's token that never expires; subscribing again raises the version and revokes it."""
    return _signer().dumps([user_id, version])


def subscriber_of(token: str) -> User | None:
    """The account a token unsubscribes, if the token is ours and still current."""
    try:
        user_id, version = _signer().loads(token)
    except (BadData, ValueError, TypeError):
        return None
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.deleted_at is not None or user.unsubscribe_version != version:
        return None
    return user


def set_mail_choice(user: User, wanted: bool, how: str) -> None:
    """Mail every announcement, or none. Subscribing again revokes the old unsubscribe links."""
    if wanted == user.announcement_mail:
        return
    if wanted:
        user.unsubscribe_version += 1
    user.announcement_mail = wanted
    audit.record("announcements.subscribed" if wanted else "announcements.unsubscribed",
                 user, actor=user, how=how)


def fan_out_due() -> None:
    """Fan out every announcement readers can see that still owes mail (an outbox job)."""
    due = db.session.scalars(select(Announcement.id).where(
        Announcement.fanout_pending, shown_at(utcnow()))).all()
    for announcement_id in due:
        fan_out(announcement_id)


def fan_out(announcement_id: int, batch: int = BATCH) -> int:
    """Write the mail one announcement owes, a committed batch at a time; how many."""
    written, after = 0, 0
    while True:
        announcement = db.session.scalars(
            select(Announcement).where(Announcement.id == announcement_id,
                                       Announcement.fanout_pending, shown_at(utcnow()))
            .with_for_update(skip_locked=True)).first()  # one worker per announcement
        if announcement is None:
            db.session.rollback()
            return written
        count, after = _write_batch(announcement, batch, after)
        announcement.fanout_pending = count > 0
        db.session.commit()
        if count == 0:
            return written
        written += count


def _write_batch(announcement: Announcement, batch: int, after: int) -> tuple[int, int]:
    """The next batch of members not mailed yet (ids above ``after``, the last batch's end:
    each batch starts where the last stopped instead of reading past everyone mailed)."""
    members = _next_members(announcement, batch, after)
    if not members:
        return 0, after
    contents = {}
    messages = []
    # Built once: building an address costs more than signing the token that goes into it.
    unsubscribe = link("announcements.unsubscribe", token=_TOKEN)
    for member in members:
        if member.locale not in contents:
            contents[member.locale] = _content(announcement, member.locale)
        content, subject = contents[member.locale]
        address = unsubscribe.replace(
            _TOKEN, unsubscribe_token(member.id, member.unsubscribe_version), 1)
        messages.append({
            "recipient": member.email, "locale": member.locale, "subject": subject,
            "content_id": content.id,
            "headers": {"List-Unsubscribe": f"<{address}>",
                        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}})
    bulk_insert(AnnouncementRecipient.__table__, [
        {"announcement_id": announcement.id, "user_id": member.id} for member in members])
    bulk_insert(OutboxMessage.__table__, messages)
    return len(members), members[-1].id


def _next_members(announcement: Announcement, batch: int, after: int) -> list:
    """Up to ``batch`` members after ``after``, read a window of ids at a time (the audience's
    conditions bounded to it, see audience.reach) until one holds some or none are left."""
    not_yet_mailed = ~exists().where(AnnouncementRecipient.announcement_id == announcement.id,
                                     AnnouncementRecipient.user_id == User.id)
    while True:
        window = (after, after + WINDOW * batch)
        members = db.session.execute(
            select(User.id, User.email, User.locale, User.unsubscribe_version)
            .where(reach_of(announcement, window), User.announcement_mail,
                   User.email.is_not(None), not_yet_mailed)
            .order_by(User.id).limit(batch)).all()
        if members or window[1] >= (db.session.scalar(select(func.max(User.id))) or 0):
            return members
        after = window[1]


def _content(announcement: Announcement, locale: str) -> tuple[MailContent, str]:
    """The announcement's mail in ``locale``, rendered once per revision and language."""
    key = f"announcement:{announcement.id}:{announcement.revision}:{locale}"
    text = announcement.text_in(locale)
    content = db.session.scalars(select(MailContent).where(MailContent.key == key)).first()
    if content is None:
        context = {"announcement": announcement, "text": text,
                   "url": link("announcements.show", announcement_id=announcement.id),
                   "preferences": link("announcements.notifications"),
                   "unsubscribe": UNSUBSCRIBE_MARK}
        with force_locale(locale):
            content = MailContent(
                key=key, body_text=render_template("mail/announcement.txt", **context),
                body_html=render_template("mail/announcement.html", **context))
        db.session.add(content)
        db.session.flush()
    return content, header_value(text.title)


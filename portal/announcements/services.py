"""Writing announcements: drafts, publishing (with a second staff member's approval for a large
audience), corrections kept as revisions, and withdrawal."""

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, not_

from portal import audit
from portal.announcements import audience as audiences
from portal.announcements.models import (
    Announcement,
    AnnouncementCouncil,
    AnnouncementCountry,
    AnnouncementRevision,
    AnnouncementText,
    Audience,
    State,
)
from portal.announcements.rendering import clean_source, to_html
from portal.auth.models import User
from portal.councils.models import Council
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db

TITLE_LENGTH = 200
BODY_LENGTH = 20_000


@dataclass
class Draft:
    """What the staff member wrote, read from the form."""

    texts: dict[str, tuple[str, str]]  # locale: (title, Markdown body); only those written
    default_locale: str
    audience: Audience = Audience.ALL
    countries: list[str] = field(default_factory=list)
    councils: list[Council] = field(default_factory=list)
    pinned: bool = False
    publish_at: datetime | None = None  # None: now, when published
    expires_at: datetime | None = None


def check(draft: Draft) -> None:
    """DomainError for the first thing that stops ``draft`` from being saved."""
    if draft.default_locale not in draft.texts:
        raise DomainError(_l("Please write the title and the text in the default language."))
    for title, body in draft.texts.values():
        if not title or not body:
            raise DomainError(_l("Each language needs both a title and a text."))
    if draft.audience == Audience.COUNTRIES and not draft.countries:
        raise DomainError(_l("Please choose at least one country."))
    if draft.audience == Audience.COUNCILS and not draft.councils:
        raise DomainError(_l("Please name at least one council."))
    if draft.expires_at and draft.expires_at <= (draft.publish_at or utcnow()):
        raise DomainError(_l("The announcement must expire after it is published."))


def _write(announcement: Announcement, draft: Draft) -> None:
    announcement.default_locale = draft.default_locale
    announcement.audience = draft.audience
    announcement.pinned = draft.pinned
    announcement.expires_at = draft.expires_at
    kept = {text.locale: text for text in announcement.translations}
    announcement.translations = [
        _text(kept.get(locale) or AnnouncementText(locale=locale), title, body)
        for locale, (title, body) in sorted(draft.texts.items())]
    countries = draft.countries if draft.audience == Audience.COUNTRIES else []
    councils = draft.councils if draft.audience == Audience.COUNCILS else []
    _replace(announcement.countries, AnnouncementCountry, "country", countries)
    _replace(announcement.councils, AnnouncementCouncil, "council_id",
             [council.id for council in councils])
    announcement.revision += 1


def _text(text: AnnouncementText, title: str, body: str) -> AnnouncementText:
    text.title, text.body_markdown = title, clean_source(body)
    text.body_html = to_html(text.body_markdown)
    return text


def _replace(rows: list, model, column: str, values: list) -> None:
    """Make the rows of a collection hold ``values``, keeping those that stay (their primary
    keys must not be deleted and inserted again in one flush)."""
    wanted = list(dict.fromkeys(values))
    rows[:] = [row for row in rows if getattr(row, column) in wanted]
    have = {getattr(row, column) for row in rows}
    rows.extend(model(**{column: value}) for value in wanted if value not in have)


def _snapshot(announcement: Announcement) -> dict:
    return {
        "texts": {text.locale: {"title": text.title, "body": text.body_markdown}
                  for text in announcement.translations},
        "default_locale": announcement.default_locale,
        "audience": announcement.audience.value,
        "countries": [row.country for row in announcement.countries],
        "council_ids": [row.council_id for row in announcement.councils],
        "pinned": announcement.pinned,
        "publish_at": announcement.publish_at.isoformat() if announcement.publish_at else None,
        "expires_at": announcement.expires_at.isoformat() if announcement.expires_at else None,
    }


def check_revision(announcement: Announcement, revision: int | None) -> None:
    if revision is not None and revision != announcement.revision:
        raise DomainError(_l("Someone else changed this announcement while you were editing "
                             "it. Your text is below; please check it against theirs."))


def save_draft(announcement: Announcement | None, draft: Draft, actor: User) -> Announcement:
    """Save without publishing. A scheduled or waiting announcement goes back to draft; one
    readers have seen cannot (it is archived instead)."""
    check(draft)
    if announcement is None:
        announcement = Announcement(revision=0, created_by=actor)
        db.session.add(announcement)
    elif announcement.state() in (State.PUBLISHED, State.EXPIRED, State.ARCHIVED):
        raise DomainError(_l("Readers have seen this announcement: it can be corrected or "
                             "archived, not made a draft again."))
    _write(announcement, draft)
    announcement.publish_at, announcement.awaiting_approval = None, False
    announcement.fanout_pending = False
    return announcement


def approval_threshold() -> int:
    return current_app.config["ANNOUNCEMENT_APPROVAL_ABOVE"]


def publish(announcement: Announcement | None, draft: Draft, actor: User) -> Announcement:
    """Publish (or correct) an announcement. Members newly in its audience are owed mail; when
    more than the approval threshold would be, it waits for a second staff member."""
    check(draft)
    if announcement is None:
        announcement = Announcement(revision=0, created_by=actor)
        db.session.add(announcement)
    before = announcement.state() if announcement.id else State.DRAFT
    if before == State.ARCHIVED:
        raise DomainError(_l("This announcement is archived."))
    seen = before in (State.PUBLISHED, State.EXPIRED)
    earlier_reach = audiences.reach_of(announcement) if before != State.DRAFT else None
    if seen:
        db.session.add(AnnouncementRevision(announcement_id=announcement.id,
                                            number=announcement.revision, edited_by=actor,
                                            content=_snapshot(announcement)))
        announcement.corrected_at = utcnow()
    _write(announcement, draft)
    db.session.flush()
    newly = audiences.reach_of(announcement)
    if earlier_reach is not None:
        newly = and_(newly, not_(earlier_reach))
    newcomers = audiences.count(newly)
    if not seen:
        announcement.publish_at = draft.publish_at or utcnow()
    announcement.fanout_pending = announcement.fanout_pending or newcomers > 0
    if newcomers > approval_threshold() and not announcement.awaiting_approval:
        announcement.awaiting_approval, announcement.requested_by = True, actor
        audit.record("announcement.approval_requested", announcement, actor=actor,
                     recipients=newcomers)
    elif not announcement.awaiting_approval:
        audit.record("announcement.corrected" if seen else "announcement.published",
                     announcement, actor=actor, recipients=newcomers)
    return announcement


def approve(announcement: Announcement, actor: User) -> None:
    """The second pair of eyes: another staff member lets it go out."""
    if announcement.state() != State.AWAITING_APPROVAL:
        raise DomainError(_l("This announcement is not waiting for approval."))
    if announcement.requested_by_id == actor.id:
        raise DomainError(_l("Another staff member must approve what you asked to publish."))
    announcement.awaiting_approval, announcement.approved_by = False, actor
    announcement.publish_at = max(announcement.publish_at, utcnow())
    audit.record("announcement.approved", announcement, actor=actor)


def archive(announcement: Announcement, actor: User) -> None:
    """Withdraw it: readers no longer see it, and mail not yet written is not written."""
    if announcement.archived_at is not None:
        raise DomainError(_l("This announcement is archived."))
    announcement.archived_at, announcement.fanout_pending = utcnow(), False
    audit.record("announcement.archived", announcement, actor=actor)

"""The demo's announcements: every state, several languages and audiences; gone with the demo."""

from collections import Counter

import pytest
from sqlalchemy import select

from portal.announcements.models import Announcement, Audience, State
from portal.demo import load_demo, remove_demo
from portal.extensions import db
from portal.mail import run_jobs


@pytest.fixture
def demo(app):
    with app.test_request_context():
        load_demo()
        db.session.commit()


def test_the_demo_shows_every_state_language_and_audience(ctx, demo):
    announcements = db.session.scalars(select(Announcement)).all()
    states = Counter(announcement.state() for announcement in announcements)
    assert set(states) == set(State) - {State.AWAITING_APPROVAL}
    assert {a.audience for a in announcements} == set(Audience)
    languages = {text.locale for a in announcements for text in a.translations}
    assert {"ar", "ckb", "ku", "en", "tr", "fa", "de", "sv"} <= languages


def test_the_worker_mails_only_the_newest_announcement(app, demo):
    from portal.mail import OutboxMessage

    with app.app_context():
        before = set(db.session.scalars(select(OutboxMessage.id)))
        run_jobs()
        written = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.content_id.is_not(None))).all()
        assert written and all(message.id not in before for message in written)
        assert {message.subject for message in written} <= {
            "زيارة قنصلية متنقلة إلى إسطنبول", "İstanbul'a gezici konsolosluk ziyareti",
            "A mobile consular visit to Istanbul"}


def test_removing_the_demo_removes_its_announcements(ctx, demo):
    remove_demo()
    db.session.commit()
    assert db.session.scalars(select(Announcement)).first() is None

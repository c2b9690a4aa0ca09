"""Announcements by mail: the worker's fan-out, each member's language, unsubscribing."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from portal.announcements import mailing, services
from portal.announcements.models import Announcement, AnnouncementRecipient, Audience
from portal.auth.models import User
from portal.extensions import db
from portal.mail import MailContent, OutboxMessage, run_jobs
from tests.announcements.conftest import announce


def _outbox(app) -> list[tuple[str, str]]:
    with app.app_context():
        return sorted(db.session.execute(
            select(OutboxMessage.recipient, OutboxMessage.locale)
            .where(OutboxMessage.content_id.is_not(None))).all())


def _run_worker(app) -> None:
    with app.app_context():
        run_jobs()


def test_publishing_writes_no_mail_the_worker_does(app, world, published):
    assert _outbox(app) == []
    _run_worker(app)
    # For everyone: every verified member account; Türkiye: the Istanbul council's members;
    # Berlin's council: its two members. Staff are not mailed.
    members = ["leader", "member", "other_leader", "other_member", "outsider"]
    everyone = [(world[key], "en") for key in members]
    turkey = [(world[key], "en") for key in ("leader", "member")]
    berlin = [(world[key], "en") for key in ("other_leader", "other_member")]
    assert _outbox(app) == sorted(everyone + turkey + berlin)
    _run_worker(app)  # nothing is owed any more
    assert len(_outbox(app)) == 9


def test_each_member_reads_it_in_their_language(app, world, deliver, mailbox):
    with app.app_context():
        db.session.get(User, world["ids"]["member"]).locale = "ar"
        db.session.get(User, world["ids"]["outsider"]).locale = "tr"
        db.session.commit()
    with app.test_request_context():
        announce(world["ids"]["staff"], {"en": "Consular visit", "ar": "زيارة قنصلية"})
    _run_worker(app)
    deliver()
    arabic = mailbox.to(world["member"])[0]
    assert arabic["Subject"] == "زيارة قنصلية" and arabic["Content-Language"] == "ar"
    html = arabic.get_body(("html",)).get_content()
    assert '<html lang="ar" dir="rtl">' in html and "زيارة قنصلية" in html
    turkish = mailbox.to(world["outsider"])[0]  # no Turkish text: the default language
    assert turkish["Subject"] == "Consular visit"
    assert 'lang="en" dir="ltr"' in turkish.get_body(("html",)).get_content()
    with app.app_context():  # one body per language, whatever the number of recipients
        assert db.session.scalar(select(func.count(MailContent.id))) == 3  # ar, tr, en


def test_the_mail_carries_a_one_click_unsubscribe(app, client, world, deliver, mailbox):
    with app.test_request_context():
        announce(world["ids"]["staff"], {"en": "Consular visit"})
    _run_worker(app)
    deliver()
    message = mailbox.to(world["member"])[0]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    address = message["List-Unsubscribe"].strip("<>")
    assert address.startswith("http://localhost/announcements/unsubscribe/")
    assert address in message.get_body(("plain",)).get_content()
    assert address in message.get_body(("html",)).get_content()
    path = address.removeprefix("http://localhost")
    page = client.get(path)  # a mail scanner's GET changes nothing
    assert page.status_code == 200 and "Unsubscribe" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, world["ids"]["member"]).announcement_mail
    # RFC 8058: the mail client POSTs List-Unsubscribe=One-Click, with no CSRF token of ours.
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 200
    with app.app_context():
        assert not db.session.get(User, world["ids"]["member"]).announcement_mail
    with app.test_request_context():
        announce(world["ids"]["staff"], {"en": "Second visit"})
    _run_worker(app)
    assert [recipient for recipient, _ in _outbox(app)].count(world["member"]) == 1


def test_subscribing_again_revokes_the_old_links(app, client, world):
    with app.app_context():
        old = mailing.unsubscribe_token(world["ids"]["member"], 1)
    from tests.conftest import log_in

    log_in(client, world["member"])
    client.post("/me/notifications", data={"announcements": "none"})
    client.post("/me/notifications", data={"announcements": "all"})
    with app.app_context():
        member = db.session.get(User, world["ids"]["member"])
        assert member.announcement_mail and member.unsubscribe_version == 2
    assert client.post(f"/announcements/unsubscribe/{old}").status_code == 404
    assert client.get("/announcements/unsubscribe/forged.token").status_code == 404
    with app.app_context():
        assert db.session.get(User, world["ids"]["member"]).announcement_mail


def test_an_edit_mails_nobody_again_a_wider_audience_only_the_newcomers(app, world):
    with app.test_request_context():
        announcement_id = announce(world["ids"]["staff"], {"en": "Turkey"},
                                   audience=Audience.COUNTRIES, countries=["TR"])
    _run_worker(app)
    assert len(_outbox(app)) == 2
    with app.test_request_context():
        announcement = db.session.get(Announcement, announcement_id)
        draft = services.Draft(texts={"en": ("Turkey, corrected", "Now right.")},
                               default_locale="en", audience=Audience.COUNTRIES,
                               countries=["TR"])
        services.publish(announcement, draft, db.session.get(User, world["ids"]["staff"]))
        db.session.commit()
    _run_worker(app)
    assert len(_outbox(app)) == 2
    with app.test_request_context():
        announcement = db.session.get(Announcement, announcement_id)
        draft.countries = ["TR", "DE"]
        services.publish(announcement, draft, db.session.get(User, world["ids"]["staff"]))
        db.session.commit()
        assert announcement.corrected_at is not None
    _run_worker(app)
    assert sorted(recipient for recipient, _ in _outbox(app)) == sorted(
        world[key] for key in ("leader", "member", "other_leader", "other_member"))


def test_a_worker_killed_mid_fan_out_mails_nobody_twice_and_skips_nobody(app, world,
                                                                        monkeypatch):
    with app.test_request_context():
        announcement_id = announce(world["ids"]["staff"], {"en": "For everyone"})
    real_insert, batches = mailing.bulk_insert, []

    def dies_in_the_second_batch(table, rows):
        if table is OutboxMessage.__table__:
            batches.append(1)
            if len(batches) == 2:  # the batch's recipients are recorded, its mail not yet
                raise SystemExit("killed")
        return real_insert(table, rows)

    monkeypatch.setattr(mailing, "bulk_insert", dies_in_the_second_batch)
    with app.app_context(), pytest.raises(SystemExit):
        mailing.fan_out(announcement_id, batch=2)
    with app.app_context():
        db.session.rollback()
    assert len(_outbox(app)) == 2  # the first batch only
    monkeypatch.setattr(mailing, "bulk_insert", real_insert)
    with app.app_context():
        assert mailing.fan_out(announcement_id, batch=2) == 3
        assert db.session.scalar(select(func.count()).select_from(AnnouncementRecipient)) == 5
        assert not db.session.get(Announcement, announcement_id).fanout_pending
    recipients = [recipient for recipient, _ in _outbox(app)]
    assert len(recipients) == len(set(recipients)) == 5


def test_scheduled_mail_waits_for_its_time_archived_mail_is_never_written(app, world):
    with app.test_request_context():
        later = announce(world["ids"]["staff"], {"en": "Later"}, publish_in=timedelta(days=1))
        withdrawn = announce(world["ids"]["staff"], {"en": "Withdrawn"})
        services.archive(db.session.get(Announcement, withdrawn),
                         db.session.get(User, world["ids"]["staff"]))
        db.session.commit()
    _run_worker(app)
    assert _outbox(app) == []
    with app.app_context():
        db.session.get(Announcement, later).publish_at -= timedelta(days=2)
        db.session.commit()
    _run_worker(app)
    assert len(_outbox(app)) == 5


def test_members_who_opted_out_or_are_unverified_get_nothing(app, world):
    with app.app_context():
        db.session.get(User, world["ids"]["member"]).announcement_mail = False
        db.session.get(User, world["ids"]["outsider"]).email_verified_at = None
        db.session.commit()
    with app.test_request_context():
        announce(world["ids"]["staff"], {"en": "For everyone"})
    _run_worker(app)
    assert {recipient for recipient, _ in _outbox(app)} == {
        world[key] for key in ("leader", "other_leader", "other_member")}


def test_the_choice_is_in_the_members_data(app, client, world):
    from tests.conftest import log_in

    log_in(client, world["member"])
    client.post("/me/notifications", data={"announcements": "none"})
    assert client.get("/me/data.json").get_json()["consents"]["announcement_mail"] is False
    assert "None: I read them on the portal" in client.get("/me/data").get_data(as_text=True)


def test_a_fan_out_reads_past_stretches_of_accounts_outside_its_audience(app, world,
                                                                         make_user):
    """Members are read a window of ids at a time: windows without any must not end it."""
    from portal.councils.models import Council
    from portal.councils.services import add_member

    latecomers = [make_user(f"later{n}@example.org") for n in range(3 * mailing.WINDOW)]
    with app.test_request_context():
        add_member(db.session.get(Council, world["council_id"]),
                   db.session.get(User, latecomers[-1]))
        db.session.commit()
        announcement_id = announce(world["ids"]["staff"], {"en": "Istanbul only"},
                                   audience=Audience.COUNCILS, councils=[world["council_id"]])
    with app.app_context():
        assert mailing.fan_out(announcement_id, batch=1) == 3  # windows of WINDOW ids
    assert sorted(recipient for recipient, _ in _outbox(app)) == sorted(
        [world["leader"], world["member"], f"later{3 * mailing.WINDOW - 1}@example.org"])

"""Staff write, preview, publish, approve, correct and archive announcements through the form."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal.announcements.models import Announcement, AnnouncementRevision, State
from portal.audit import AuditEvent
from portal.auth.models import User
from portal.extensions import db
from tests.conftest import log_in


@pytest.fixture
def staff(client, world):
    log_in(client, world["staff"])
    return client


def _form(**fields) -> dict:
    return {"default_locale": "en", "audience": "all", "title_en": "Consular visit",
            "body_en": "The consul visits **Istanbul** on Monday.", "action": "publish"} | fields


def _only(app) -> Announcement:
    with app.app_context():
        announcement = db.session.scalars(select(Announcement)).one()
        announcement.state_now = announcement.state()
        db.session.expunge(announcement)
        return announcement


def test_the_form_has_the_public_field_names(staff):
    page = staff.get("/staff/announcements/new").get_data(as_text=True)
    for name in ("title_ar", "body_ar", "title_sv", "body_sv", "default_locale", "audience",
                 "countries", "councils", "pinned", "publish_at", "expires_at"):
        assert f'name="{name}"' in page, name
    for action in ("draft", "preview", "publish"):
        assert f'name="action" value="{action}"' in page


def test_a_draft_is_saved_and_not_shown(app, staff, client):
    response = staff.post("/staff/announcements/new", data=_form(action="draft"))
    assert response.status_code == 302
    assert _only(app).state_now == State.DRAFT
    assert "Consular visit" in staff.get("/staff/announcements/?state=draft").get_data(
        as_text=True)
    assert "Consular visit" not in staff.get("/announcements/").get_data(as_text=True)


def test_preview_shows_the_texts_and_who_receives_it_and_saves_nothing(app, staff, world):
    page = staff.post("/staff/announcements/new", data=_form(
        action="preview", audience="countries", countries=["TR", "DE"],
        title_ar="زيارة قنصلية", body_ar="يزور القنصل **إسطنبول**")).get_data(as_text=True)
    assert "<strong>Istanbul</strong>" in page and "<strong>إسطنبول</strong>" in page
    assert "It reaches 4 members." in page
    with app.app_context():
        assert db.session.scalars(select(Announcement)).first() is None


def test_publishing_to_a_country_reaches_it(app, staff, world):
    response = staff.post("/staff/announcements/new", data=_form(
        audience="countries", countries=["TR"]))
    assert response.status_code == 302
    announcement = _only(app)
    assert announcement.state_now == State.PUBLISHED
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).where(
            AuditEvent.subject_type == "Announcement",
            AuditEvent.subject_id == announcement.id)) == "announcement.published"


@pytest.mark.parametrize(("fields", "message"), [
    ({"title_en": "", "body_en": ""}, "Please write the title and the text in the default"),
    ({"title_ar": "عنوان"}, "Each language needs both a title and a text."),
    ({"audience": "countries"}, "Please choose at least one country."),
    ({"audience": "councils", "councils": "no-such-council"}, "There is no council"),
    ({"publish_at": "2030-01-02T10:00", "expires_at": "2030-01-01T10:00"},
     "must expire after it is published"),
    ({"title_en": "x" * 201}, "Please use at most 200 characters."),
    ({"publish_at": "tomorrow"}, "Please enter a date and time."),
])
def test_bad_input_is_explained_and_nothing_typed_is_lost(app, staff, fields, message):
    form = _form(title_de="Konsul", body_de="Der Konsul kommt.") | fields
    response = staff.post("/staff/announcements/new", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert "Der Konsul kommt." in page
    with app.app_context():
        assert db.session.scalars(select(Announcement)).first() is None


def test_times_are_typed_in_the_staff_members_zone(app, staff, world):
    with app.app_context():
        db.session.get(User, world["ids"]["staff"]).time_zone = "Europe/Berlin"
        db.session.commit()
    staff.post("/staff/announcements/new", data=_form(publish_at="2030-01-01T10:00"))
    announcement = _only(app)
    assert announcement.publish_at == datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
    assert announcement.state_now == State.SCHEDULED
    page = staff.get(f"/staff/announcements/{announcement.id}").get_data(as_text=True)
    assert 'value="2030-01-01T10:00"' in page


def test_a_large_audience_waits_for_a_second_staff_member(app, client, staff, world):
    app.config["ANNOUNCEMENT_APPROVAL_ABOVE"] = 3
    try:
        staff.post("/staff/announcements/new", data=_form())
        announcement = _only(app)
        assert announcement.state_now == State.AWAITING_APPROVAL
        assert "Consular visit" not in staff.get("/announcements/").get_data(as_text=True)
        staff.post(f"/staff/announcements/{announcement.id}/approve")
        assert _only(app).state_now == State.AWAITING_APPROVAL  # not by the one who asked
        other = app.test_client()
        log_in(other, world["admin"])
        page = other.get(f"/staff/announcements/{announcement.id}").get_data(as_text=True)
        assert "Approve and publish" in page
        other.post(f"/staff/announcements/{announcement.id}/approve")
        assert _only(app).state_now == State.PUBLISHED
        with app.app_context():
            actions = db.session.scalars(select(AuditEvent.action).where(
                AuditEvent.subject_type == "Announcement",
                AuditEvent.subject_id == announcement.id).order_by(AuditEvent.id)).all()
        assert actions == ["announcement.approval_requested", "announcement.approved"]
    finally:
        app.config["ANNOUNCEMENT_APPROVAL_ABOVE"] = 1000


def test_a_correction_is_kept_as_a_revision_and_shown_as_updated(app, staff, client):
    staff.post("/staff/announcements/new", data=_form())
    announcement = _only(app)
    staff.post(f"/staff/announcements/{announcement.id}", data=_form(
        title_en="Consular visit (new date)", revision=str(announcement.revision)))
    with app.app_context():
        revision = db.session.scalars(select(AnnouncementRevision)).one()
        assert revision.content["texts"]["en"]["title"] == "Consular visit"
    page = client.get(f"/announcements/{announcement.id}").get_data(as_text=True)
    assert "Consular visit (new date)" in page and "Updated on" in page
    edit_page = staff.get(f"/staff/announcements/{announcement.id}").get_data(as_text=True)
    assert "Earlier versions" in edit_page


def test_two_staff_editing_at_once_do_not_overwrite_each_other(app, staff):
    staff.post("/staff/announcements/new", data=_form(action="draft"))
    announcement = _only(app)
    seen = str(announcement.revision)
    staff.post(f"/staff/announcements/{announcement.id}",
               data=_form(action="draft", title_en="First edit", revision=seen))
    page = staff.post(f"/staff/announcements/{announcement.id}",
                      data=_form(action="draft", title_en="Second edit", revision=seen))
    assert "Someone else changed this announcement" in page.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Announcement, announcement.id).translations[0].title == \
            "First edit"


def test_a_published_announcement_cannot_become_a_draft_but_can_be_archived(app, staff):
    staff.post("/staff/announcements/new", data=_form())
    announcement = _only(app)
    page = staff.post(f"/staff/announcements/{announcement.id}", data=_form(
        action="draft", revision=str(announcement.revision))).get_data(as_text=True)
    assert "not made a draft again" in page
    staff.post(f"/staff/announcements/{announcement.id}/archive")
    assert _only(app).state_now == State.ARCHIVED
    assert app.test_client().get(f"/announcements/{announcement.id}").status_code == 404


def test_hostile_markdown_reaches_readers_as_text(app, staff, client):
    staff.post("/staff/announcements/new", data=_form(
        body_en='<script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=y>'))
    page = client.get(f"/announcements/{_only(app).id}").get_data(as_text=True)
    assert "<script>alert" not in page and 'href="javascript:' not in page
    assert "<img src=x" not in page and "&lt;script&gt;" in page

"""Staff write, preview, publish, approve and archive announcements."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.announcements import audience, labels, services
from portal.announcements.forms import ACTIONS, AnnouncementForm
from portal.announcements.models import (
    Announcement,
    AnnouncementRevision,
    AnnouncementText,
    State,
    in_state,
)
from portal.announcements.rendering import to_html
from portal.councils.models import Council
from portal.database import utcnow
from portal.errors import DomainError, commit_or_flash
from portal.extensions import db
from portal.forms import ConfirmForm
from portal.pagination import numbered_limits, numbered_page, page_number
from portal.permissions import staff_required

bp = Blueprint("announcements_staff", __name__, url_prefix="/staff/announcements",
               template_folder="templates")


@bp.route("/")
@staff_required
def index():
    state = request.args.get("state", "")
    query = select(Announcement).options(
        selectinload(Announcement.translations).load_only(AnnouncementText.locale,
                                                          AnnouncementText.title),
        selectinload(Announcement.countries))
    if state in set(State):
        query = query.where(in_state(State(state)))
    rows = db.session.scalars(numbered_limits(query.order_by(Announcement.id.desc()),
                                              page_number())).all()
    return render_template("announcements/staff/index.html", state=state, now=utcnow(),
                           page=numbered_page(rows, page_number()), STATE=labels.STATE,
                           AUDIENCE=labels.AUDIENCE)


def _announcement(announcement_id: int) -> Announcement:
    return db.session.get(Announcement, announcement_id) or abort(404)


def _form_of(announcement: Announcement) -> AnnouncementForm:
    data = {"default_locale": announcement.default_locale,
            "audience": announcement.audience.value,
            "countries": [row.country for row in announcement.countries],
            "councils": " ".join(db.session.scalars(select(Council.slug).where(Council.id.in_(
                [row.council_id for row in announcement.councils])))),
            "pinned": announcement.pinned, "publish_at": announcement.publish_at,
            "expires_at": announcement.expires_at, "revision": str(announcement.revision)}
    for text in announcement.translations:
        data |= {f"title_{text.locale}": text.title, f"body_{text.locale}": text.body_markdown}
    return AnnouncementForm(data=data)


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def create():
    form = AnnouncementForm(data={"default_locale": current_user.locale})
    return _edit_page(None, form)


@bp.route("/<int:announcement_id>", methods=["GET", "POST"])
@staff_required
def edit(announcement_id: int):
    announcement = _announcement(announcement_id)
    form = AnnouncementForm() if request.method == "POST" else _form_of(announcement)
    return _edit_page(announcement, form)


def _edit_page(announcement: Announcement | None, form: AnnouncementForm):
    action = request.form.get("action")
    preview = None
    if form.validate_on_submit() and action in ACTIONS:
        try:
            draft = form.draft()
            if announcement is not None:
                services.check_revision(announcement, form.posted_revision())
            if action == "preview":
                services.check(draft)  # saving checks it in the service
                preview = _preview(draft)
            else:
                return _save(announcement, draft, action)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
    return render_template(
        "announcements/staff/edit.html", form=form, announcement=announcement, preview=preview,
        revisions=_revisions(announcement), action_form=ConfirmForm(), STATE=labels.STATE)


def _save(announcement: Announcement | None, draft: services.Draft, action: str):
    save = services.publish if action == "publish" else services.save_draft
    announcement = save(announcement, draft, current_user._get_current_object())
    db.session.commit()
    state = announcement.state()
    flash({State.DRAFT: _("The draft is saved."),
           State.AWAITING_APPROVAL: _("It reaches many members: it goes out when another "
                                      "staff member approves it."),
           State.SCHEDULED: _("The announcement is scheduled."),
           }.get(state, _("The announcement is published.")), "success")
    return redirect(url_for("announcements_staff.edit", announcement_id=announcement.id))


def _preview(draft: services.Draft) -> dict:
    """The texts as readers will see them, and who receives it (by country)."""
    reach = audience.reach(draft.audience, draft.countries,
                           [council.id for council in draft.councils])
    by_country = audience.count_by_country(reach)
    return {"texts": {locale: (title, to_html(body))
                      for locale, (title, body) in draft.texts.items()},
            "by_country": by_country, "total": sum(count for _code, count in by_country),
            "needs_approval": sum(count for _code, count in by_country)
            > services.approval_threshold()}


def _revisions(announcement: Announcement | None) -> list[AnnouncementRevision]:
    if announcement is None:
        return []
    return db.session.scalars(select(AnnouncementRevision).where(
        AnnouncementRevision.announcement_id == announcement.id)
        .order_by(AnnouncementRevision.number.desc())).all()


@bp.route("/<int:announcement_id>/approve", methods=["POST"])
@staff_required
def approve(announcement_id: int):
    announcement = _announcement(announcement_id)
    if ConfirmForm().validate_on_submit():
        commit_or_flash(lambda: services.approve(announcement, current_user._get_current_object()),
                        _("Approved: the announcement goes out."))
    return redirect(url_for("announcements_staff.edit", announcement_id=announcement_id))


@bp.route("/<int:announcement_id>/archive", methods=["POST"])
@staff_required
def archive(announcement_id: int):
    announcement = _announcement(announcement_id)
    if ConfirmForm().validate_on_submit():
        commit_or_flash(lambda: services.archive(announcement, current_user._get_current_object()),
                        _("The announcement is archived: readers no longer see it."))
    return redirect(url_for("announcements_staff.edit", announcement_id=announcement_id))

"""Moderation pages: the staff's queue and decisions, suspensions, pre-moderation of a council;
the leaders' read-only view of their council; the author's appeal."""

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from wtforms import (
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from portal import audit
from portal.auth.models import User
from portal.councils.models import Council
from portal.councils.permissions import can_manage_members
from portal.councils.routes import load_council
from portal.database import utcnow
from portal.errors import DomainError, commit_or_flash
from portal.extensions import by_id, db
from portal.forms import (
    ITEM_ID,
    BaseForm,
    ConfirmForm,
    QuickSelect,
    WholeNumberField,
    max_length,
    number_between,
    required,
)
from portal.i18n import AUTONYMS, LOCALES, country_choices
from portal.pagination import key_page
from portal.permissions import staff_required
from portal.posts import moderation
from portal.posts.labels import DECISION_REASON, REPORT_REASON
from portal.posts.models import Action, Appeal, DecisionReason, Post, PostReport, ReportReason

bp = Blueprint("posts_moderation", __name__, template_folder="templates")
QUEUE_PAGE = 20  # each item carries its context and a form: a phone's page stays light



class QueueFilters(BaseForm):
    class Meta:
        csrf = False

    country = SelectField(_l("Country"), [Optional()], choices=[], widget=QuickSelect())
    council = StringField(_l("Council"), [Optional(), max_length(80)],
                          description=_l("Its short name as in its address, such as "
                                         "tr-istanbul."))
    language = SelectField(_l("Author's language"), [Optional()], choices=[],
                           widget=QuickSelect())
    reason = SelectField(_l("Reason reported"), [Optional()], choices=[], widget=QuickSelect())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        anything = SelectChoice("", _l("Any"))
        self.country.choices = [anything, *(SelectChoice(c, n) for c, n in country_choices())]
        self.language.choices = [anything, *(SelectChoice(code, AUTONYMS[code])
                                             for code in LOCALES)]
        self.reason.choices = [anything, *(SelectChoice(code.value, label)
                                           for code, label in REPORT_REASON.items())]


class DecisionForm(BaseForm):
    # Once on each of the queue's items: options written once per language (QuickSelect).
    reason = SelectField(_l("Reason"), choices=[
        SelectChoice(code.value, label) for code, label in DECISION_REASON.items()],
        widget=QuickSelect())
    note = TextAreaField(_l("Note for the author (optional)"), [Optional(), max_length(1000)],
                         render_kw={"dir": "auto", "rows": 2})


class SuspendForm(BaseForm):
    member = HiddenField(validators=[required()])
    council = HiddenField()
    scope = RadioField(_l("Where"), default="council", choices=[
        SelectChoice("council", _l("In this council")), SelectChoice("everywhere",
                                                                   _l("In every council"))])
    days = WholeNumberField(_l("For how many days"), [required(), number_between(1, 365)],
                        default=7)
    reason = TextAreaField(_l("Reason the member will read"), [required(), max_length(500)],
                           render_kw={"dir": "auto", "rows": 2})


class AppealForm(BaseForm):
    text = TextAreaField(_l("Why should the decision change?"), [required(), max_length(2000)],
                         render_kw={"dir": "auto", "rows": 5})


def _queue_query(filters: QueueFilters):
    query = select(Post).join(Council, Council.id == Post.council_id).where(
        Post.needs_moderation).options(
        joinedload(Post.author), joinedload(Post.parent),
        joinedload(Post.council).selectinload(Council.translations))
    if filters.country.data:
        query = query.where(Council.country == filters.country.data)
    if filters.council.data:
        query = query.where(Council.slug == filters.council.data.strip())
    if filters.language.data:
        query = query.where(Post.author.has(User.locale == filters.language.data))
    if filters.reason.data in set(ReportReason):
        query = query.where(Post.id.in_(select(PostReport.post_id).where(
            PostReport.reason == filters.reason.data, PostReport.closed_at.is_(None))))
    return query


@bp.route("/staff/moderation")
@staff_required
def queue():
    """Pending, reported and appealed posts, oldest first, 50 a page, with their context."""
    filters = QueueFilters(request.args)
    filters.validate()
    page = key_page(_queue_query(filters), [Post.id], lambda post: [post.id],
                    request.args.get("cursor"), salt="moderation-queue", per_page=QUEUE_PAGE)
    ids = [post.id for post in page.items]
    appeals = {filed.post_id: filed for filed in db.session.scalars(
        select(Appeal).where(Appeal.post_id.in_(ids), Appeal.outcome_id.is_(None))
        .options(joinedload(Appeal.decision)))}
    query = {name: value for name, value in request.args.items() if name != "cursor" and value}
    return render_template(
        "posts/moderation/queue.html", page=page, filters=filters, query=query,
        appeals=appeals, reasons=moderation.open_reasons(ids),
        revisions=moderation.earlier_texts([post.id for post in page.items if post.edited_at]),
        history=moderation.history([post.author_id for post in page.items if post.author_id]),
        form=DecisionForm(formdata=None).with_id_suffix("bulk"),
        may_decide_appeal=moderation.may_decide_appeal,
        item_form=DecisionForm(formdata=None).with_id_suffix(ITEM_ID))


def _items() -> list[tuple[int, int]]:
    """(post id, version) of each item ticked or of the one decided."""
    items = []
    for value in request.form.getlist("item"):
        post_id, _, version = value.partition(":")
        if post_id.isdigit() and version.isdigit():
            items.append((int(post_id), int(version)))
    return items


def _decide_one(post_id: int, version: int, action: Action, form: DecisionForm) -> None:
    post = by_id(Post, post_id)
    if post is None:
        raise DomainError(_l("This post no longer exists."))
    reason, note = DecisionReason(form.reason.data), form.note.data or ""
    filed = moderation.open_appeal(post)
    if filed is not None and action in moderation.APPEAL_EFFECT:
        moderation.decide_appeal(filed, action, reason, note, current_user, version)
    elif filed is None and action in moderation.EFFECT:
        moderation.decide(post, action, reason, note, current_user, version)
    else:
        raise DomainError(_l("This post is not waiting for that decision."))


@bp.route("/staff/moderation/decide", methods=["POST"])
@staff_required
def decide():
    """One item or several ticked ones, with one action, reason and note; each is decided on
    its own, so one taken by another moderator does not stop the others."""
    form = DecisionForm()
    action = request.form.get("action", "")
    items = _items()
    if not form.validate_on_submit() or action not in set(Action) or not items:
        flash(_("Please choose the posts, a decision and its reason."), "error")
        return redirect(url_for("posts_moderation.queue"))
    done = 0
    for post_id, version in items:
        try:
            _decide_one(post_id, version, Action(action), form)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            done += 1
    if done:
        flash(_("Decided: %(count)s.", count=done), "success")
    return redirect(url_for("posts_moderation.queue"))


@bp.route("/staff/moderation/suspend", methods=["GET", "POST"])
@staff_required
def suspend():
    """The form (a page of its own: the queue stays light) and its POST."""
    form = SuspendForm(request.args) if request.method == "GET" else SuspendForm()
    member, council = by_id(User, form.member.data), by_id(Council, form.council.data)
    if member is None:  # the form is reached from an author in the queue
        return redirect(url_for("posts_moderation.queue"))
    if form.validate_on_submit() and commit_or_flash(lambda: moderation.suspend(
            member, council if form.scope.data == "council" else None,
            utcnow() + timedelta(days=form.days.data), form.reason.data, current_user),
            _("The member is suspended from posting.")):
        return redirect(url_for("posts_moderation.queue"))
    return render_template("posts/moderation/suspend.html", form=form, member=member,
                           council=council)


@bp.route("/staff/moderation/councils/<slug>", methods=["POST"])
@staff_required
def premoderation(slug: str):
    """Switch a council's pre-moderation on or off."""
    council = load_council(slug)
    if ConfirmForm().validate_on_submit():
        council.posts_premoderated = request.form.get("premoderated") == "yes"
        audit.record("moderation.premoderation", council, on=council.posts_premoderated)
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for("posts_moderation.council", slug=slug))


@bp.route("/councils/<slug>/moderation")
@login_required
def council(slug: str):
    """What waits for the moderators in one council: its leaders read it, staff act on it in
    the queue. Who reported is never shown."""
    council = load_council(slug)
    if not can_manage_members(current_user, council):
        abort(404)
    posts = db.session.scalars(select(Post).where(
        Post.council_id == council.id, Post.needs_moderation).order_by(Post.id)
        .options(joinedload(Post.author)).limit(100)).all()
    return render_template("posts/moderation/council.html", council=council, posts=posts,
                           reasons=moderation.open_reasons([post.id for post in posts]),
                           form=ConfirmForm())


@bp.route("/councils/<slug>/posts/<int:post_id>/appeal", methods=["GET", "POST"])
@login_required
def appeal(slug: str, post_id: int):
    council = load_council(slug)
    post = db.session.get(Post, post_id)
    if post is None or post.council_id != council.id or post.author_id != current_user.id:
        abort(404)
    form = AppealForm()
    if form.validate_on_submit() and commit_or_flash(
            lambda: moderation.appeal(current_user, post, form.text.data),
            _("Your appeal is sent. Another moderator will decide, and you will get a mail.")):
        return redirect(url_for("posts.thread", slug=slug, post_id=post.parent_id or post.id))
    return render_template("posts/moderation/appeal.html", council=council, post=post,
                           form=form, decision=moderation.last_decision(post))

"""The council's discussion: writing, replying, editing, deleting and reporting posts."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.councils.models import Council, Membership, MembershipStatus
from portal.councils.routes import load_council
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import ConfirmForm
from portal.posts import reading, services
from portal.posts.forms import PostForm, ReportForm
from portal.posts.models import Post, PostStatus, ReportReason

bp = Blueprint("posts", __name__, template_folder="templates")


def discussion(council: Council, membership: Membership | None) -> dict:
    """What the council page shows of its discussion to the current reader, whose membership
    the page has loaded (a template global: the council package does not know about posts)."""
    member = membership is not None and membership.status == MembershipStatus.APPROVED
    if not (member or (current_user.is_authenticated and current_user.is_staff)):
        return {"readable": False}
    page, replies = reading.threads(council, current_user, request.args.get("posts"))
    return {"readable": True, "page": page, "replies": replies, "form": PostForm(formdata=None),
            "may_post": member,
            "suspension": services.suspension_of(current_user, council) if member else None}


def _readable_council(slug: str) -> Council:
    council = load_council(slug)
    if not services.can_read(current_user, council):
        abort(404)
    return council


def _post(council: Council, post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or post.council_id != council.id or not (
            post.status not in (PostStatus.PENDING, PostStatus.REJECTED)
            or current_user.is_staff or post.author_id == current_user.id):
        abort(404)
    return post


def _own_post(council: Council, post_id: int) -> Post:
    """A post of the current user's: nobody else edits or deletes it, or learns it exists."""
    post = _post(council, post_id)
    if post.author_id != current_user.id:
        abort(404)
    return post


def _thread_of(post: Post) -> str:
    return url_for("posts.thread", slug=post.council.slug, post_id=post.parent_id or post.id,
                   _anchor=f"post-{post.id}")


@bp.route("/councils/<slug>/posts", methods=["POST"])
@login_required
def create(slug: str):
    council = _readable_council(slug)
    form = PostForm()
    if form.validate_on_submit():
        try:
            post = services.write(current_user, council, form.body.data, form.parent.data)
        except DomainError as error:
            db.session.rollback()
            form.body.errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("Your post is published.") if post.status == PostStatus.PUBLISHED else
                  _("Your post waits for a moderator. Until then only you can see it."),
                  "success")
            return redirect(_thread_of(post))
    return render_template("posts/compose.html", council=council, form=form)


@bp.route("/councils/<slug>/posts/<int:post_id>")
@login_required
def thread(slug: str, post_id: int):
    council = _readable_council(slug)
    root = reading.thread(council, current_user, post_id) or abort(404)
    return render_template(
        "posts/thread.html", council=council, thread=root,
        replies=reading.replies(council, current_user, root, request.args.get("replies")),
        form=PostForm(formdata=None, parent=root.id), action_form=ConfirmForm(),
        may_post=services.is_member(current_user, council))


@bp.route("/councils/<slug>/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str, post_id: int):
    council = _readable_council(slug)
    post = _own_post(council, post_id)
    form = PostForm(data={"body": post.body}) if request.method == "GET" else PostForm()
    if form.validate_on_submit():
        try:
            services.edit(current_user, post, form.body.data)
        except DomainError as error:
            db.session.rollback()
            form.body.errors.append(str(error.message))
        else:
            db.session.commit()
            flash(_("Your post is saved."), "success")
            return redirect(_thread_of(post))
    return render_template("posts/edit.html", council=council, post=post, form=form)


@bp.route("/councils/<slug>/posts/<int:post_id>/delete", methods=["POST"])
@login_required
def delete(slug: str, post_id: int):
    council = _readable_council(slug)
    post = _own_post(council, post_id)
    if ConfirmForm().validate_on_submit():
        try:
            services.delete(current_user, post)
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Your post is deleted."), "success")
    return redirect(_thread_of(post))


@bp.route("/councils/<slug>/posts/<int:post_id>/report", methods=["GET", "POST"])
@login_required
def report(slug: str, post_id: int):
    council = _readable_council(slug)
    post = _post(council, post_id)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            services.report(current_user, post, ReportReason(form.reason.data),
                            form.text.data or "")
        except DomainError as error:
            db.session.rollback()
            flash(str(error.message), "error")
        else:
            db.session.commit()
            flash(_("Thank you. The ministry's moderators will look at this post."), "success")
            return redirect(_thread_of(post))
    return render_template("posts/report.html", council=council, post=post, form=form)

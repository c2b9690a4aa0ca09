"""Writing, editing, deleting and reporting posts; who reads them.

Only a council's approved members and staff read its posts: many members live where speaking
openly is a risk. A member's first posts and every post in a pre-moderated council wait for a
moderator; enough reports from distinct members hide a post until staff decide.
"""

import re
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_babel.speaklater import LazyString
from sqlalchemy import func, select, update

from portal import audit
from portal.auth.models import Role, User
from portal.councils.models import Council, Membership, MembershipStatus
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import by_id, db
from portal.forms import length_message
from portal.i18n import format_number
from portal.mail import link, queue_mail
from portal.posts.models import (
    Action,
    ModerationDecision,
    Post,
    PostingSuspension,
    PostReport,
    PostRevision,
    PostStatus,
    ReportReason,
)

BODY_LENGTH = 5000
REPORT_TEXT_LENGTH = 500
LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)


def is_member(user, council: Council) -> bool:
    if not user.is_authenticated:
        return False
    return db.session.scalar(select(Membership.id).where(
        Membership.user_id == user.id, Membership.council_id == council.id,
        Membership.status == MembershipStatus.APPROVED)) is not None


def can_read(user, council: Council) -> bool:
    """Staff and the council's approved members."""
    return user.is_authenticated and (user.is_staff or is_member(user, council))


def suspension_of(user, council: Council) -> PostingSuspension | None:
    """The suspension that stops ``user`` posting in ``council`` now, if any."""
    return db.session.scalars(select(PostingSuspension).where(
        PostingSuspension.user_id == user.id, PostingSuspension.until > utcnow(),
        (PostingSuspension.council_id == council.id) | PostingSuspension.council_id.is_(None))
        .order_by(PostingSuspension.until.desc())).first()


def _trusted(user) -> bool:
    """Whether the member has had enough posts published to post without waiting."""
    published = db.session.scalar(select(func.count(Post.id)).where(
        Post.author_id == user.id, Post.status == PostStatus.PUBLISHED))
    return published >= current_app.config["POSTS_BEFORE_TRUSTED"]


def _check_body(body: str, trusted: bool) -> str:
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise DomainError(_l("Please write something."))
    if len(body) > BODY_LENGTH:
        raise DomainError(length_message(1, BODY_LENGTH))
    allowed = current_app.config["LINKS_BEFORE_TRUSTED"]
    if not trusted and len(LINK.findall(body)) > allowed:
        raise DomainError(LazyString(lambda: ngettext(
            "Until the moderators have approved your first posts, a post can hold at most "
            "%(number)s link.",
            "Until the moderators have approved your first posts, a post can hold at most "
            "%(number)s links.", allowed, number=format_number(allowed))))
    return body


def _check_may_post(user, council: Council) -> None:
    if not is_member(user, council):
        raise DomainError(_l("Only the council's members can post here."))
    if suspension_of(user, council) is not None:
        raise DomainError(_l("You are suspended from posting here."))
    hour_ago = utcnow() - timedelta(hours=1)
    recent = db.session.scalar(select(func.count(Post.id)).where(
        Post.author_id == user.id, Post.created_at > hour_ago))
    if recent >= current_app.config["POSTS_PER_HOUR"]:
        raise DomainError(_l("You have posted a lot in the last hour. Please wait a little "
                             "before you post again."))


def _parent(council: Council, parent_id: int | None) -> Post | None:
    if parent_id is None:
        return None
    parent = by_id(Post, parent_id)
    if parent is None or parent.council_id != council.id or parent.parent_id is not None \
            or parent.status != PostStatus.PUBLISHED:
        raise DomainError(_l("You can only reply to a published post of this council."))
    return parent


def write(user: User, council: Council, body: str, parent_id: int | None = None) -> Post:
    """A new post or reply: published at once, or pending for a moderator."""
    _check_may_post(user, council)
    parent = _parent(council, parent_id)
    trusted = _trusted(user)
    waits = not trusted or council.posts_premoderated
    post = Post(council=council, author=user, parent=parent, body=_check_body(body, trusted),
                status=PostStatus.PENDING if waits else PostStatus.PUBLISHED,
                needs_moderation=waits)
    db.session.add(post)
    db.session.flush()
    if parent is not None:
        recount_replies(parent.id)
    return post


def recount_replies(parent_id: int) -> None:
    """Keep a thread's count of published replies, which its page shows without counting."""
    published = select(func.count(Post.id)).where(
        Post.parent_id == parent_id, Post.status == PostStatus.PUBLISHED).scalar_subquery()
    db.session.execute(update(Post).where(Post.id == parent_id).values(reply_count=published)
                       .execution_options(synchronize_session=False))


def _own(user, post: Post) -> None:
    if post.author_id != user.id:
        raise DomainError(_l("You can only change your own posts."))
    if post.status not in (PostStatus.PENDING, PostStatus.PUBLISHED):
        raise DomainError(_l("This post can no longer be changed."))


def edit(user: User, post: Post, body: str) -> None:
    """The author's correction; its earlier text is kept for staff. In a pre-moderated council
    an edited post waits for a moderator again."""
    _own(user, post)
    body = _check_body(body, _trusted(user))
    db.session.add(PostRevision(post_id=post.id, body=post.body))
    post.body, post.edited_at, post.version = body, utcnow(), post.version + 1
    if post.status == PostStatus.PUBLISHED and post.council.posts_premoderated:
        post.status, post.needs_moderation = PostStatus.PENDING, True
        _after_status_change(post)


def delete(user: User, post: Post) -> None:
    """Soft: "deleted by its author" stays in the thread, so replies keep their context."""
    _own(user, post)
    post.status, post.needs_moderation, post.version = PostStatus.DELETED, False, post.version + 1
    _after_status_change(post)


def _after_status_change(post: Post) -> None:
    db.session.flush()
    if post.parent_id is not None:
        recount_replies(post.parent_id)


def report(user: User, post: Post, reason: ReportReason, text: str = "") -> PostReport:
    """A member's report, once per post. Enough distinct reporters hide the post until staff
    decide; staff are alerted at once and the author is told it is under review."""
    if not is_member(user, post.council):
        raise DomainError(_l("Only the council's members can report its posts."))
    if post.author_id == user.id:
        raise DomainError(_l("You cannot report your own post."))
    if post.status != PostStatus.PUBLISHED:
        raise DomainError(_l("This post is already with the moderators."))
    if reason == ReportReason.OTHER and not text.strip():
        raise DomainError(_l("Please say what is wrong with the post."))
    if db.session.scalar(select(PostReport.id).where(PostReport.post_id == post.id,
                                                     PostReport.reporter_id == user.id)):
        raise DomainError(_l("You have already reported this post."))
    flag = PostReport(post_id=post.id, reporter_id=user.id, reason=reason,
                      text=text.strip()[:REPORT_TEXT_LENGTH])
    db.session.add(flag)
    post.open_reports += 1
    post.needs_moderation, post.version = True, post.version + 1
    if post.open_reports >= current_app.config["MODERATION_HIDE_AFTER"]:
        _hide_by_reports(post)
    return flag


def _hide_by_reports(post: Post) -> None:
    post.status = PostStatus.HIDDEN
    db.session.add(ModerationDecision(post_id=post.id, moderator_id=None,
                                      action=Action.HIDDEN_BY_REPORTS))
    audit.record("moderation.auto_hidden", post, actor=None, reports=post.open_reports)
    _after_status_change(post)
    queue = link("posts_moderation.queue")
    for officer in db.session.scalars(select(User).where(
            User.role.in_([Role.STAFF, Role.ADMIN]), User.deleted_at.is_(None),
            User.email.is_not(None))):
        queue_mail(officer.email, officer.locale, "post_hidden_by_reports", post=post,
                   url=queue)
    if post.author is not None and post.author.email:
        queue_mail(post.author.email, post.author.locale, "post_under_review", user=post.author,
                   post=post, url=link("posts.thread", slug=post.council.slug,
                                       post_id=post.parent_id or post.id))

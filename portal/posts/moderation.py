"""The ministry's moderation: one queue of pending, reported and appealed posts; decisions with
a reason, told to the author; an appeal decided by a moderator other than the one who made the
decision; suspensions from posting. Every action is an audit event."""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from portal import audit
from portal.auth.models import User
from portal.councils.models import Council
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.mail import link, queue_mail
from portal.posts.models import (
    Action,
    Appeal,
    DecisionReason,
    ModerationDecision,
    Post,
    PostingSuspension,
    PostReport,
    PostRevision,
    PostStatus,
)
from portal.posts.services import recount_replies

# What each action does to a post, and in which states it may be taken.
EFFECT = {
    Action.APPROVE: (PostStatus.PUBLISHED, {PostStatus.PENDING}),
    Action.REJECT: (PostStatus.REJECTED, {PostStatus.PENDING}),
    Action.DISMISS: (PostStatus.PUBLISHED, {PostStatus.PUBLISHED, PostStatus.HIDDEN}),
    Action.HIDE: (PostStatus.HIDDEN, {PostStatus.PUBLISHED, PostStatus.HIDDEN}),
}
APPEAL_EFFECT = {Action.RESTORE: PostStatus.PUBLISHED, Action.UPHOLD: None}
TOLD = {Action.REJECT, Action.HIDE}  # decisions against the author, mailed with the reason
APPEALABLE = {Action.REJECT, Action.HIDE, Action.HIDDEN_BY_REPORTS}


def _claim(post: Post, version: int) -> None:
    """Take the post for this decision, or refuse: another moderator decided first. One
    UPDATE on the version the page showed, so two decisions never both apply."""
    taken = db.session.execute(
        update(Post).where(Post.id == post.id, Post.version == version)
        .values(version=Post.version + 1).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        raise DomainError(_l("Another moderator has decided on this post in the meantime. "
                             "Nothing was changed; see the queue as it is now."))
    db.session.refresh(post)


def decide(post: Post, action: Action, reason: DecisionReason, note: str, moderator: User,
           version: int) -> ModerationDecision:
    status, allowed = EFFECT[action]
    if not post.needs_moderation or post.status not in allowed or open_appeal(post):
        raise DomainError(_l("This post is not waiting for that decision."))
    _claim(post, version)
    post.status, post.needs_moderation = status, False
    if action in (Action.DISMISS, Action.HIDE):
        _close_reports(post)
    decision = _record(post, action, reason, note, moderator)
    if action in TOLD:
        _tell_author(post, "post_decided", decision)
    return decision


def _close_reports(post: Post) -> None:
    db.session.execute(update(PostReport).where(PostReport.post_id == post.id,
                                                PostReport.closed_at.is_(None))
                       .values(closed_at=utcnow()))
    post.open_reports = 0


def _record(post: Post, action: Action, reason, note: str, moderator) -> ModerationDecision:
    decision = ModerationDecision(post_id=post.id, moderator=moderator, action=action,
                                  reason=reason, note=(note or "").strip()[:1000])
    db.session.add(decision)
    db.session.flush()
    if post.parent_id is not None:
        recount_replies(post.parent_id)
    audit.record(f"moderation.{action.value}", post, actor=moderator,
                 reason=reason.value if reason else None, council_id=post.council_id)
    return decision


def _tell_author(post: Post, template: str, decision: ModerationDecision) -> None:
    author = post.author
    if author is None or not author.email or author.deleted_at is not None:
        return
    queue_mail(author.email, author.locale, template, user=author, post=post,
               decision=decision, url=link("posts.thread", slug=post.council.slug,
                                           post_id=post.parent_id or post.id))


def last_decision(post: Post) -> ModerationDecision | None:
    return db.session.scalars(select(ModerationDecision).where(
        ModerationDecision.post_id == post.id).order_by(ModerationDecision.id.desc())).first()


def open_appeal(post: Post) -> Appeal | None:
    return db.session.scalars(select(Appeal).where(Appeal.post_id == post.id,
                                                   Appeal.outcome_id.is_(None))).first()


def appeal(author: User, post: Post, text: str) -> Appeal:
    """The author asks once to have a decision against their post looked at again."""
    decision = last_decision(post)
    if post.author_id != author.id or decision is None or decision.action not in APPEALABLE \
            or post.status not in (PostStatus.REJECTED, PostStatus.HIDDEN):
        raise DomainError(_l("There is no decision on this post that you can appeal."))
    if db.session.scalar(select(Appeal.id).where(Appeal.post_id == post.id)):
        raise DomainError(_l("You have already appealed about this post."))
    if not (text or "").strip():
        raise DomainError(_l("Please say why the decision should change."))
    filed = Appeal(decision=decision, post_id=post.id, text=text.strip()[:2000])
    db.session.add(filed)
    post.needs_moderation, post.version = True, post.version + 1
    audit.record("moderation.appealed", post, actor=author)
    return filed


def may_decide_appeal(filed: Appeal, moderator: User) -> bool:
    """Anyone but the moderator who made the decision; a hiding by members' reports, which no
    moderator made, any of them."""
    return filed.decision.moderator_id != moderator.id


def decide_appeal(filed: Appeal, action: Action, reason: DecisionReason, note: str,
                  moderator: User, version: int) -> ModerationDecision:
    post = db.session.get(Post, filed.post_id)
    if filed.outcome_id is not None:
        raise DomainError(_l("This appeal has already been decided."))
    if not may_decide_appeal(filed, moderator):
        raise DomainError(_l("Another moderator must decide on an appeal against your own "
                             "decision."))
    _claim(post, version)
    if APPEAL_EFFECT[action] is not None:
        post.status = APPEAL_EFFECT[action]
        _close_reports(post)
    post.needs_moderation = False
    outcome = _record(post, action, reason, note, moderator)
    filed.outcome_id = outcome.id
    _tell_author(post, "appeal_decided", outcome)
    return outcome


def suspend(member: User, council: Council | None, until: datetime, reason: str,
            moderator: User) -> PostingSuspension:
    if until <= utcnow():
        raise DomainError(_l("A suspension must end in the future."))
    if not (reason or "").strip():
        raise DomainError(_l("Please give the reason the member will read."))
    suspension = PostingSuspension(user_id=member.id, council_id=council.id if council else None,
                                   until=until, reason=reason.strip()[:500],
                                   created_by_id=moderator.id)
    db.session.add(suspension)
    audit.record("moderation.suspended", member, actor=moderator,
                 council_id=council.id if council else None, until=until.isoformat())
    return suspension


def history(author_ids: list[int]) -> dict[int, dict[str, int]]:
    """Earlier decisions on each author's posts, counted by action (one statement)."""
    if not author_ids:
        return {}
    rows = db.session.execute(
        select(Post.author_id, ModerationDecision.action, func.count())
        .join(Post, Post.id == ModerationDecision.post_id)
        .where(Post.author_id.in_(author_ids))
        .group_by(Post.author_id, ModerationDecision.action)).all()
    counts: dict[int, dict[str, int]] = {}
    for author_id, action, count in rows:
        counts.setdefault(author_id, {})[action.value] = count
    return counts


def open_reasons(post_ids: list[int]) -> dict[int, dict[str, int]]:
    """The open reports of each post, counted by reason; who reported is not read."""
    if not post_ids:
        return {}
    rows = db.session.execute(
        select(PostReport.post_id, PostReport.reason, func.count())
        .where(PostReport.post_id.in_(post_ids), PostReport.closed_at.is_(None))
        .group_by(PostReport.post_id, PostReport.reason)).all()
    reasons: dict[int, dict[str, int]] = {}
    for post_id, reason, count in rows:
        reasons.setdefault(post_id, {})[reason.value] = count
    return reasons


def earlier_texts(post_ids: list[int]) -> dict[int, list[PostRevision]]:
    """What edited posts said before, oldest first (one statement): staff judge an edit by
    what it replaced."""
    texts: dict[int, list[PostRevision]] = {}
    if post_ids:
        for revision in db.session.scalars(select(PostRevision).where(
                PostRevision.post_id.in_(post_ids)).order_by(PostRevision.id)):
            texts.setdefault(revision.post_id, []).append(revision)
    return texts

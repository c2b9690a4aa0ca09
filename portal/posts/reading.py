"""A council's discussion as one reader sees it: threads newest first, paged by key, each with
its latest replies; a thread with all its replies, oldest first. Statements per page do not
grow with the posts: authors come joined, reply counts are kept on the thread."""

import re

from markupsafe import Markup, escape
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from portal.councils.models import Council
from portal.extensions import db
from portal.pagination import KeyPage, key_page
from portal.posts.models import Post, PostStatus

THREADS_PER_PAGE = 20
REPLIES_SHOWN = 3  # under each thread on the council page; the thread's page has them all
URL = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]", re.IGNORECASE)


def visible_to(user):
    """Staff see every post; members the published ones, the lines left by deleted or hidden
    ones (replies keep their context), and their own whatever their state."""
    if user.is_staff:
        return Post.id.is_not(None)
    return or_(Post.status.in_([PostStatus.PUBLISHED, PostStatus.DELETED, PostStatus.HIDDEN]),
               Post.author_id == user.id)


def _posts(council: Council, user):
    return select(Post).where(Post.council_id == council.id, visible_to(user)).options(
        joinedload(Post.author))


def threads(council: Council, user, cursor: str | None) -> tuple[KeyPage, dict[int, list]]:
    """A page of threads and the latest replies of each (two statements)."""
    page = key_page(_posts(council, user).where(Post.parent_id.is_(None)), [Post.id],
                    lambda post: [post.id], cursor, salt="council-threads",
                    per_page=THREADS_PER_PAGE, descending=True)
    return page, _latest_replies([post.id for post in page.items], council, user)


def _latest_replies(thread_ids: list[int], council: Council, user) -> dict[int, list]:
    if not thread_ids:
        return {}
    rank = func.row_number().over(partition_by=Post.parent_id,
                                  order_by=Post.id.desc()).label("rank")
    ranked = select(Post.id, rank).where(Post.council_id == council.id,
                                         Post.parent_id.in_(thread_ids),
                                         visible_to(user)).subquery()
    latest = _posts(council, user).join(ranked, ranked.c.id == Post.id).where(
        ranked.c.rank <= REPLIES_SHOWN).order_by(Post.id)
    replies: dict[int, list] = {}
    for reply in db.session.scalars(latest).unique():
        replies.setdefault(reply.parent_id, []).append(reply)
    return replies


def thread(council: Council, user, post_id: int) -> Post | None:
    return db.session.scalars(_posts(council, user).where(
        Post.id == post_id, Post.parent_id.is_(None))).first()


def replies(council: Council, user, thread_post: Post, cursor: str | None) -> KeyPage:
    """A thread's replies, oldest first, 50 a page."""
    page = key_page(_posts(council, user).where(Post.parent_id == thread_post.id),
                    [Post.id], lambda post: [post.id], cursor, salt="thread-replies")
    return page


def as_text(body: str) -> Markup:
    """What a member wrote, shown as text: every character escaped, http(s) addresses made
    links that pass no ranking and open no window back."""
    parts, last = [], 0
    for match in URL.finditer(body):
        parts.append(escape(body[last:match.start()]))
        address = match.group(0)
        parts.append(Markup('<a href="{}" rel="nofollow ugc noopener">{}</a>').format(
            address, address))
        last = match.end()
    parts.append(escape(body[last:]))
    return Markup("").join(parts)

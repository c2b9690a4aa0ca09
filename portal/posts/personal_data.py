"""A member's posts, reports and appeals, for /me/data.json and /me/data (members.services
calls it through app.extensions["member_data"])."""

from sqlalchemy import select

from portal.extensions import db
from portal.posts.models import Appeal, Post, PostReport


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def posts_data(user) -> dict:
    posts = db.session.scalars(select(Post).where(Post.author_id == user.id)
                               .order_by(Post.id)).all()
    reports = db.session.scalars(select(PostReport).where(PostReport.reporter_id == user.id)
                                 .order_by(PostReport.id)).all()
    appeals = db.session.scalars(select(Appeal).join(Post, Post.id == Appeal.post_id).where(
        Post.author_id == user.id).order_by(Appeal.id)).all()
    return {
        "posts": [{"id": post.id, "council": post.council.slug, "reply_to": post.parent_id,
                   "text": post.body, "status": post.status.value,
                   "created_at": _iso(post.created_at), "edited_at": _iso(post.edited_at)}
                  for post in posts],
        "reports": [{"post_id": flag.post_id, "reason": flag.reason.value, "text": flag.text,
                     "created_at": _iso(flag.created_at)} for flag in reports],
        "appeals": [{"post_id": filed.post_id, "text": filed.text,
                     "created_at": _iso(filed.created_at),
                     "decided": filed.outcome_id is not None} for filed in appeals],
    }

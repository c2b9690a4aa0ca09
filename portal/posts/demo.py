"""The posts part of `flask demo load`: conversations in several languages in the Istanbul,
Berlin and Stockholm councils, with a post waiting for a moderator, one reported, and one
hidden by a moderator whose author has appealed."""

from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import User
from portal.councils.models import Council
from portal.database import utcnow
from portal.extensions import db
from portal.posts.models import (
    Action,
    Appeal,
    DecisionReason,
    ModerationDecision,
    Post,
    PostReport,
    PostStatus,
    ReportReason,
)

# (council slug, author's email, text, status, hours ago, replies: (author, text))
CONVERSATIONS = [
    ("tr-istanbul", "ahmed@demo.example",
     "السلام عليكم، هل يعرف أحد موعد الزيارة القنصلية القادمة؟ أحتاج إلى تجديد جواز سفري.",
     PostStatus.PUBLISHED, 30, [
         ("noor@demo.example", "نعم، يوم السبت القادم في مقر المجلس. أحضر صورة القيد."),
         ("rezan@demo.example", "Spas! Ez ê jî werim, pasaporta min jî diqede.")]),
    ("tr-istanbul", "rezan@demo.example",
     "Li Fatihê kursa zimanê tirkî ya belaş heye, ji bo jinan jî: https://example.org/kurs",
     PostStatus.PENDING, 2, []),
    ("de-berlin", "layla@demo.example",
     "Wer kann beim Antrag auf Anerkennung irakischer Zeugnisse helfen? Die Frist läuft "
     "Ende des Monats ab.",
     PostStatus.PUBLISHED, 50, [
         ("karwan@demo.example", "من یارمەتیت دەدەم، ڕۆژی شەممە کاتم هەیە."),
         ("yousif@demo.example", "Die Beratungsstelle in Neukölln macht das auch kostenlos.")]),
    ("se-stockholm", "zainab@demo.example",
     "Hej alla! Rådet ordnar en träff för nyanlända familjer på söndag kl. 14 i Rinkeby.",
     PostStatus.PUBLISHED, 12, []),
]
REPORTED = ("tr-istanbul", "noor@demo.example",
            "اربح 500 دولار يومياً من البيت! راسلني على الواتساب فوراً.")
APPEALED = ("de-berlin", "yousif@demo.example",
            "Die Leute vom Rat antworten nie auf Nachrichten. Das ist peinlich.",
            "Das war Kritik, keine Beleidigung. Bitte noch einmal prüfen.")
# Texts the benchmark's posts draw from.
SAMPLE_POSTS = [text for _slug, _email, text, *_rest in CONVERSATIONS] + [
    reply for *_head, replies in CONVERSATIONS for _email, reply in replies]


def load_posts_demo(staff: User) -> None:
    people = {user.email: user for user in db.session.scalars(
        select(User).where(User.email.like("%@demo.example")))}
    councils = {council.slug: council for council in db.session.scalars(select(Council))}
    now = utcnow()
    for slug, email, text, status, hours, replies in CONVERSATIONS:
        thread = _post(councils[slug], people[email], text, status, now - timedelta(hours=hours))
        for n, (author, reply) in enumerate(replies, start=1):
            _post(councils[slug], people[author], reply, PostStatus.PUBLISHED,
                  thread.created_at + timedelta(hours=n), parent=thread)
        thread.reply_count = len(replies)
    slug, email, text = REPORTED
    spam = _post(councils[slug], people[email], text, PostStatus.PUBLISHED,
                 now - timedelta(hours=5))
    for reporter in ("ahmed@demo.example", "rezan@demo.example"):
        db.session.add(PostReport(post_id=spam.id, reporter_id=people[reporter].id,
                                  reason=ReportReason.SPAM))
    spam.open_reports, spam.needs_moderation = 2, True
    slug, email, text, appeal = APPEALED
    hidden = _post(councils[slug], people[email], text, PostStatus.HIDDEN,
                   now - timedelta(hours=20))
    decision = ModerationDecision(post_id=hidden.id, moderator_id=staff.id, action=Action.HIDE,
                                  reason=DecisionReason.ABUSE, created_at=now - timedelta(hours=8))
    db.session.add(decision)
    db.session.flush()
    db.session.add(Appeal(decision_id=decision.id, post_id=hidden.id, text=appeal))
    hidden.needs_moderation = True


def _post(council: Council, author: User, text: str, status: PostStatus, at,
          parent: Post | None = None) -> Post:
    post = Post(council_id=council.id, author_id=author.id, body=text, status=status,
                created_at=at, parent_id=parent.id if parent else None,
                needs_moderation=status == PostStatus.PENDING)
    db.session.add(post)
    db.session.flush()
    return post

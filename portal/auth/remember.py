""""Keep me logged in": one token per device, rotated on each use. Callers commit.

The cookie holds the token's row id and a random 256-bit secret; the database keeps only the
secret's SHA-256 digest, so a leaked table logs nobody in. A secret that was already rotated
away is evidence that the cookie was copied: every session of the account ends.
"""

import hashlib
import re
import secrets
from datetime import timedelta

from sqlalchemy import delete, select, update

from portal import audit
from portal.auth.models import RememberToken, User
from portal.database import utcnow
from portal.extensions import db

LIFETIME = timedelta(days=30)
DEVICE_MAX = 120

_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"),
            ("Windows", "Windows"), ("Mac OS", "macOS"), ("Linux", "Linux"))


class CopiedToken(Exception):
    """A cookie whose secret was already rotated away: someone else holds a copy."""

    def __init__(self, user: User):
        super().__init__(user.id)
        self.user = user


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def describe_device(user_agent: str) -> str:
    """A short name for the device, such as "Firefox, Android", so its owner recognizes it."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), None)
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), None)
    if browser or system:
        return ", ".join(filter(None, (browser, system)))
    return user_agent[:DEVICE_MAX]


def issue(user: User, user_agent: str) -> str:
    """Make a token for a device after a complete login; returns the cookie value."""
    secret, now = secrets.token_urlsafe(32), utcnow()
    token = RememberToken(user_id=user.id, digest=_digest(secret), created_at=now,
                          last_used_at=now, expires_at=now + LIFETIME,
                          device=describe_device(user_agent))
    db.session.add(token)
    db.session.flush()
    return f"{token.id}.{secret}"


def redeem(cookie: str) -> tuple[User, str] | None:
    """The account a cookie stands for and the cookie that replaces it, or None.

    The rotation is one conditional UPDATE, so of two requests showing the same cookie only
    one gets in. A known token shown with an outdated secret raises ``CopiedToken``.
    """
    match = re.fullmatch(r"(\d{1,18})\.([\w-]{43})", cookie)
    token = db.session.get(RememberToken, int(match[1])) if match else None
    if token is None:
        return None
    if token.expires_at <= utcnow():
        db.session.delete(token)
        return None
    secret = secrets.token_urlsafe(32)
    rotated = db.session.execute(
        update(RememberToken)
        .where(RememberToken.id == token.id, RememberToken.digest == _digest(match[2]))
        .values(digest=_digest(secret), last_used_at=utcnow())
        .execution_options(synchronize_session=False))
    user = db.session.get(User, token.user_id)
    if rotated.rowcount != 1:
        raise CopiedToken(user)
    return (user, f"{token.id}.{secret}") if user.is_active else None


def revoke_all(user: User) -> None:
    db.session.execute(delete(RememberToken).where(RememberToken.user_id == user.id))


def revoke(user: User, token_id: int) -> None:
    """Forget one of the user's devices; another user's token id changes nothing."""
    db.session.execute(delete(RememberToken).where(RememberToken.user_id == user.id,
                                                   RememberToken.id == token_id))
    audit.record("remember.revoked", user, token=token_id)


def devices_of(user: User) -> list[RememberToken]:
    """The user's remembered devices, most recently used first (at most one per login)."""
    return list(db.session.scalars(
        select(RememberToken).where(RememberToken.user_id == user.id, RememberToken.expires_at
                                    > utcnow()).order_by(RememberToken.last_used_at.desc())))

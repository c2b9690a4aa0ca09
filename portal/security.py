"""Password hashing, purpose-bound signed tokens, security headers and session lifetimes."""

import hashlib
import time
from urllib.parse import urlsplit

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from itsdangerous import BadSignature, URLSafeTimedSerializer


def _hasher() -> PasswordHasher:
    profile = getattr(profiles, current_app.config["PASSWORD_HASH_PROFILE"])
    return PasswordHasher.from_parameters(profile)  # argon2id in every profile we use


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


def fingerprint(*parts: object) -> str:
    """A short digest of state that a single-use token must still match when it is redeemed."""
    return hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:16]


def local_path(target: str | None) -> str | None:
    """``target`` when it is a path on this site, else None: never a redirect to another host
    (``//evil.com``, ``/\\evil.com`` and ``https://…`` are refused)."""
    parts = urlsplit(target or "")
    if target and not parts.scheme and not parts.netloc and target.startswith("/") \
            and not target.startswith("//") and "\\" not in target:
        return target
    return None


def make_token(purpose: str, payload: dict) -> str:
    return URLSafeTimedSerializer(current_app.secret_key, salt=purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int) -> dict | None:
    """The payload of a token made for this purpose, or None when forged, expired or foreign."""
    try:
        payload = URLSafeTimedSerializer(current_app.secret_key, salt=purpose).loads(
            token, max_age=max_age
        )
    except BadSignature:
        return None
    return payload if isinstance(payload, dict) else None


CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def set_security_headers(response):
    """Headers for every response, unless the view set its own (a chart's narrower policy);
    pages for a signed-in user are never stored by caches."""
    headers = response.headers
    # One pass over the few headers already set: asking Headers for each missing one raises.
    present = {name.lower() for name, _value in headers}
    wanted = [*SECURITY_HEADERS.items(), *([HSTS] if current_app.config["SESSION_COOKIE_SECURE"]
                                            else [])]
    headers.extend((name, value) for name, value in wanted if name.lower() not in present)
    if current_user.is_authenticated:
        headers["Cache-Control"] = "no-store"
    return response


def enforce_session_lifetime():
    """End a session idle for too long (30 minutes for staff) or older than its lifetime."""
    if not current_user.is_authenticated:
        return None
    config, now = current_app.config, time.time()
    staff = current_user.is_staff
    idle = config["STAFF_IDLE_TIMEOUT"] if staff else config["MEMBER_IDLE_TIMEOUT"]
    lifetime = config["STAFF_SESSION_LIFETIME"] if staff else config["MEMBER_SESSION_LIFETIME"]
    started = session.get("auth_at") or session.setdefault("auth_at", now)
    seen = session.get("seen_at", now)
    if now - seen > idle or now - started > lifetime:
        session.clear()
        logout_user()
        flash(_("Your session has ended. Please log in again."), "info")
        return redirect(url_for("auth.login", next=request.full_path))
    if now - seen >= SEEN_AT_STEP or "seen_at" not in session:
        session["seen_at"] = now
    return None


# Activity is noted at most once a minute: rewriting (and re-signing) the session cookie on
# every request costs each page time, and a minute is nothing against a 30-minute timeout.
SEEN_AT_STEP = 60

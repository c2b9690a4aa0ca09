"""Account rules: registration, verification, passwords. Callers commit."""

import time

from flask import current_app, flash, redirect, session
from flask_babel import gettext as _
from flask_login import login_user
from sqlalchemy import func, select

from portal import audit, throttle
from portal.auth.models import Role, User
from portal.database import utcnow
from portal.extensions import db
from portal.mail import link, queue_mail
from portal.security import (
    fingerprint,
    hash_password,
    make_token,
    password_needs_rehash,
    read_token,
    verify_password,
)

VERIFY_PURPOSE = "verify-email"
RESET_PURPOSE = "reset-password"


class AccountError(Exception):
    """A rule of this module refused the request; the message is shown to the user."""


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalize_email(email)))


def register(email: str, display_name: str, password: str, locale: str) -> User | None:
    """Create an unverified member and queue the verification mail.

    When the address is taken, nothing is created and its owner is told by mail instead:
    the page a visitor sees is the same either way, so registration cannot be used to
    find out who has an account.
    """
    existing = find_by_email(email)
    if existing:
        queue_mail(existing.email, existing.locale, "already_registered",
                   user=existing, reset_url=link("auth.reset_request"))
        return None
    user = User(
        email=normalize_email(email), display_name=display_name.strip(),
        password_hash=hash_password(password), locale=locale, role=Role.MEMBER,
        privacy_version=current_app.config["PRIVACY_NOTICE_VERSION"], privacy_accepted_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    send_verification(user)
    return user


def create_verified_user(email: str, display_name: str, password: str, role: Role,
                         locale: str) -> User:
    """An account made by an operator: verified at once, no mail."""
    if find_by_email(email):
        raise AccountError(f"{email} already has an account")
    user = User(
        email=normalize_email(email), display_name=display_name, role=role, locale=locale,
        password_hash=hash_password(password), email_verified_at=utcnow(),
        privacy_version=current_app.config["PRIVACY_NOTICE_VERSION"], privacy_accepted_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    return user


def _mail_link(user: User, purpose: str, state: str, template: str, endpoint: str) -> None:
    """Mail a signed link bound to its purpose and to ``state``, which voids it once changed."""
    token = make_token(purpose, {"uid": user.id, "fp": fingerprint(state)})
    queue_mail(user.email, user.locale, template, user=user,
               url=link(endpoint, token=token))


def _user_for_link(purpose: str, token: str, max_age_setting: str, state) -> User | None:
    """The active user a link is for, while ``state(user)`` still matches what was signed."""
    payload = read_token(purpose, token, current_app.config[max_age_setting])
    user = db.session.get(User, payload.get("uid")) if payload else None
    if not user or not user.is_active or payload.get("fp") != fingerprint(state(user)):
        return None
    return user


def _verification_state(user: User) -> str:
    return f"{user.email}|{user.email_verified_at}"  # verifying once uses the link up


def send_verification(user: User) -> None:
    _mail_link(user, VERIFY_PURPOSE, _verification_state(user), "verify_email", "auth.verify_email")


def user_for_verification(token: str) -> User | None:
    """The unverified user a verification token is for; None when invalid, expired or used."""
    user = _user_for_link(VERIFY_PURPOSE, token, "VERIFY_TOKEN_MAX_AGE", _verification_state)
    return user if user and not user.email_verified_at else None


def mark_verified(user: User) -> None:
    user.email_verified_at = utcnow()


LOGIN_FAILURE_LIMIT, LOGIN_FAILURE_WINDOW = 5, 15 * 60


def _failure_key(email: str) -> str:
    # A digest, not the address: counters must not keep personal data.
    return f"login-failures:{fingerprint(normalize_email(email))}"


def login_blocked_for(email: str) -> int:
    """Seconds until this account accepts logins again after 5 failures in 15 minutes, or 0.

    The block ends with its window, and a password reset lifts it at once, so an attacker
    cannot lock the owner out for good.
    """
    if throttle.current(_failure_key(email), LOGIN_FAILURE_WINDOW) < LOGIN_FAILURE_LIMIT:
        return 0
    return throttle.seconds_left(LOGIN_FAILURE_WINDOW)


def record_failed_login(email: str) -> None:
    user = find_by_email(email)
    throttle.hit(_failure_key(email), LOGIN_FAILURE_WINDOW)
    audit.record("login.failed", user, actor=user)


def complete_login(user: User, remember: bool, next_url: str):
    """Start a fresh session for a user who passed every check, and go where they were going."""
    session.clear()
    # Ministry accounts never stay logged in beyond their idle timeout.
    login_user(user, remember=remember and not user.is_staff)
    session["auth_at"] = time.time()
    throttle.reset(_failure_key(user.email))
    audit.record("login.succeeded", user, actor=user)
    db.session.commit()
    flash(_("Welcome, %(name)s.", name=user.display_name), "success")
    return redirect(next_url)


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, upgrading an outdated hash on the way."""
    user = find_by_email(email)
    if not user or not user.is_active or not verify_password(user.password_hash, password):
        if not user:
            hash_password(password)  # spend the same time, so timing reveals no account
        return None
    if password_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def request_password_reset(email: str) -> None:
    """Mail a reset link when the address has an account; say nothing either way."""
    user = find_by_email(email)
    if user and user.is_active:
        _mail_link(user, RESET_PURPOSE, user.password_hash, "reset_password",
                   "auth.reset_password")


def user_for_reset(token: str) -> User | None:
    """The user a reset token is for. Any password change since it was made voids it."""
    return _user_for_link(RESET_PURPOSE, token, "RESET_TOKEN_MAX_AGE",
                          lambda user: user.password_hash)


def set_password(user: User, password: str) -> None:
    """Store a new password and end every session the user has open elsewhere."""
    user.password_hash = hash_password(password)
    end_sessions(user)


def complete_reset(user: User, password: str) -> None:
    set_password(user, password)
    throttle.reset(_failure_key(user.email))
    # Following the mailed link proved the user reads this mailbox.
    user.email_verified_at = user.email_verified_at or utcnow()


def end_sessions(user: User) -> None:
    user.session_version += 1


def set_suspended(user: User, suspended: bool) -> None:
    """Suspend an account (every session ends, logging in is refused) or lift the suspension."""
    user.suspended_at = utcnow() if suspended else None
    end_sessions(user)
    audit.record("account.suspended" if suspended else "account.reactivated", user)


def set_role(user: User, role: Role) -> None:
    """Change what an account may do; its sessions end so the change applies at once."""
    previous = user.role
    user.role = role
    end_sessions(user)
    audit.record("account.role_changed", user, old=previous.value, new=role.value)


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's loader: the id must carry the user's current session version."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.get(User, int(user_id))
    if not user or not user.is_active or user.session_version != int(version):
        return None
    return user

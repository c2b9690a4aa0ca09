"""Account rules: registration, verification, login, passwords, sessions. Callers commit."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from portal import audit, throttle
from portal.auth import remember
from portal.auth.models import Role, User
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import format_number
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
WRONG_CREDENTIALS = _l("The email address or the password is wrong.")
WRONG_PASSWORD = _l("This is not your current password.")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    # Addresses are stored normalized: comparing the bare column lets the unique index serve.
    return db.session.scalar(select(User).where(User.email == normalize_email(email)))


def register(email: str, display_name: str, password: str, locale: str) -> User | None:
    """Create an unverified member and queue the verification mail.

    When the address is taken, nothing is created and its owner is told by mail instead: the
    page is the same either way, and so is the work (one password hash on every path), so
    neither the answer nor its timing tells who has an account.
    """
    password_hash = hash_password(password)
    if existing := find_by_email(email):
        _tell_owner(existing)
        return None
    user = User(
        email=normalize_email(email), display_name=display_name.strip(),
        password_hash=password_hash, locale=locale, role=Role.MEMBER,
        privacy_version=current_app.config["PRIVACY_NOTICE_VERSION"], privacy_accepted_at=utcnow(),
    )
    try:
        with db.session.begin_nested():
            db.session.add(user)
    except IntegrityError:  # the same address registered at the same moment by another request
        if existing := find_by_email(email):
            _tell_owner(existing)
        return None
    send_verification(user)
    return user


def _tell_owner(user: User) -> None:
    queue_mail(user.email, user.locale, "already_registered", user=user,
               reset_url=link("auth.reset_request"))


def create_verified_user(email: str, display_name: str, password: str, role: Role,
                         locale: str) -> User:
    """An account made by an operator: verified at once, no mail."""
    if find_by_email(email):
        raise DomainError(_l("%(email)s already has an account.", email=email))
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


def security_mail(user: User, template: str) -> None:
    """Tell the owner of an account that something changed its protection (ASVS 6.3.7),
    with the way out if it was not them."""
    queue_mail(user.email, user.locale, template, user=user, reset_url=link("auth.reset_request"))


LOGIN_FAILURE_LIMIT, LOGIN_FAILURE_WINDOW = 5, 15 * 60


def _failure_key(email: str) -> str:
    # A digest, not the address: counters must not keep personal data.
    return f"login-failures:{fingerprint(normalize_email(email))}"


def login_blocked_for(email: str) -> int:
    """Seconds until this account accepts a password again after 5 failures in 15 minutes, or 0.

    The block ends with its window, and a password reset lifts it at once, so an attacker
    cannot lock the owner out for good.
    """
    if throttle.current(_failure_key(email), LOGIN_FAILURE_WINDOW) < LOGIN_FAILURE_LIMIT:
        return 0
    return throttle.seconds_left(LOGIN_FAILURE_WINDOW)


def _blocked_error(wait: int) -> DomainError:
    minutes = (wait + 59) // 60
    return DomainError(ngettext(
        "Too many failed attempts for this account. Please try again in %(number)s minute, "
        "or choose a new password.",
        "Too many failed attempts for this account. Please try again in %(number)s minutes, "
        "or choose a new password.", minutes, number=format_number(minutes)))


def record_failed_login(email: str, action: str = "login.failed") -> None:
    """Count a wrong password or code against the account (the count outlives a rollback)
    and add the audit event; the caller commits, also when it refuses the request."""
    user = find_by_email(email)
    throttle.hit(_failure_key(email), LOGIN_FAILURE_WINDOW)
    audit.record(action, user, actor=user)


def authenticate(email: str, password: str) -> User:
    """The active user with these credentials, upgrading an outdated hash on the way.

    Raises DomainError otherwise, after recording the failure. Every path runs exactly one
    argon2 computation, so the time taken tells nothing about whether the account exists,
    is suspended or is blocked.
    """
    user = find_by_email(email)
    if user is None:
        hash_password(password)
        matches = False
    else:
        matches = verify_password(user.password_hash, password)
    wait = login_blocked_for(email)
    if wait or not matches or not user.is_active:
        record_failed_login(email)
        raise _blocked_error(wait) if wait else DomainError(WRONG_CREDENTIALS)
    if password_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


def record_login(user: User) -> None:
    """A login passed every check (password and, where on, the second factor)."""
    throttle.reset(_failure_key(user.email))
    audit.record("login.succeeded", user, actor=user)


def confirm_password(user: User, password: str) -> None:
    """Check the signed-in user's password before a sensitive change.

    Counted, locked and audited like a login (the same counter: 5 failures in 15 minutes),
    so a left-open session cannot be used to guess the password. Raises DomainError; the
    caller commits even then, so the failure stays on record.
    """
    wait = login_blocked_for(user.email)
    if wait or not verify_password(user.password_hash, password):
        record_failed_login(user.email, "password.confirm_failed")
        raise _blocked_error(wait) if wait else DomainError(WRONG_PASSWORD)
    throttle.reset(_failure_key(user.email))


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


def _store_password(user: User, password: str, action: str, mail: str) -> None:
    """Hash and keep a new password, end every session elsewhere, audit, tell the owner."""
    user.password_hash = hash_password(password)
    end_sessions(user)
    audit.record(action, user, actor=user)
    security_mail(user, mail)


def change_password(user: User, password: str) -> None:
    """A new password chosen by the signed-in user, whose current one was confirmed."""
    _store_password(user, password, "password.changed", "password_changed")


def complete_reset(user: User, password: str) -> None:
    """The password chosen through a mailed link; this also lifts a login block."""
    _store_password(user, password, "password.reset", "password_reset")
    throttle.reset(_failure_key(user.email))
    # Following the mailed link proved the user reads this mailbox.
    user.email_verified_at = user.email_verified_at or utcnow()


def end_sessions(user: User) -> None:
    """End every session of the user on every device, remembered ones included."""
    user.session_version += 1
    remember.revoke_all(user)


def resume_remembered(cookie: str) -> tuple[User, str] | None:
    """The user a remember-me cookie stands for and its replacement cookie, or None.

    A copied cookie (shown after its secret was rotated) ends every session of the account.
    """
    try:
        resumed = remember.redeem(cookie)
    except remember.CopiedToken as copied:
        end_sessions(copied.user)
        audit.record("remember.replayed", copied.user, actor=copied.user)
        return None
    if resumed:
        audit.record("login.remembered", resumed[0], actor=resumed[0])
    return resumed


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


# With the profile: any time shown is in the zone its country gives (i18n.time_zone_of). Built
# once, as a statement rather than Session.get's options: this runs on every signed-in request.
_SESSION_USER = select(User).options(joinedload(User.profile)).where(User.id == bindparam("id"))


def load_session_user(session_id: str) -> User | None:
    """Flask-Login's loader: the id must carry the user's current session version."""
    user_id, _, version = session_id.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None
    user = db.session.execute(_SESSION_USER, {"id": int(user_id)}).unique().scalar_one_or_none()
    if not user or not user.is_active or user.session_version != int(version):
        return None
    return user

"""Two-factor authentication with time-based codes (RFC 6238) and single-use recovery codes.

Callers commit.
"""

import base64
import hashlib
import hmac
import secrets

import pyotp
import segno
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select, update

from portal import audit
from portal.auth.models import RecoveryCode, User
from portal.auth.services import end_sessions, security_mail
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.i18n import ascii_digits

ISSUER = "MoMD Diaspora Portal"
RECOVERY_CODES = 10


def new_secret() -> str:
    return pyotp.random_base32()


def is_usable_secret(secret: str) -> bool:
    """Base32 of at least 112 bits, as RFC 4226 asks (pyotp refuses shorter ones)."""
    try:
        pyotp.TOTP(secret).now()
    except (ValueError, TypeError):
        return False
    return True


def qr_code_data_uri(user: User, secret: str) -> str:
    """The enrolment QR code as an SVG data URI, drawn on the server (no script, no CDN)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _compact(code: str) -> str:
    """The code without spaces, in ASCII digits (phones in Arabic or Persian type ٣ or ۳)."""
    return "".join(ascii_digits(code).split())


def _matching_step(secret: str, code: str) -> int | None:
    """The time step (previous, current or next, for clock drift) whose code this is."""
    code = _compact(code)
    if not (code.isdigit() and len(code) == 6):
        return None
    totp, now = pyotp.TOTP(secret), utcnow()
    step = totp.timecode(now)
    for candidate in (step - 1, step, step + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def enrolment_step(secret: str, code: str) -> int | None:
    """The time step of a code typed to confirm a new secret, or None when it is wrong."""
    return _matching_step(secret, code)


def _keyed_digest(code: str) -> str:
    key = current_app.secret_key.encode()
    return hmac.new(key, b"recovery-code:" + _normalized(code).encode(), "sha256").hexdigest()


def _legacy_digest(code: str) -> str:
    return hashlib.sha256(_normalized(code).encode()).hexdigest()


def _normalized(code: str) -> str:
    return _compact(code).replace("-", "").lower()


def _new_recovery_code() -> str:
    """80 random bits in base32, written as four groups of four (no 0/1/8/9 to misread)."""
    text = base64.b32encode(secrets.token_bytes(10)).decode().lower()
    return "-".join(text[i:i + 4] for i in range(0, 16, 4))


def replace_recovery_codes(user: User) -> list[str]:
    """Void every recovery code of the user and make ten new ones, returned to be shown once."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, digest=_keyed_digest(code), keyed=True)
                       for code in codes)
    db.session.flush()
    return codes


def remaining_recovery_codes(user: User) -> int:
    return db.session.scalar(select(func.count()).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def enable(user: User, secret: str, enrolment_step: int = 0) -> list[str]:
    """Turn 2FA on with a confirmed secret; returns the recovery codes to show once.

    The code that confirmed the secret counts as used: it cannot log anyone in afterwards.
    """
    user.totp_secret, user.totp_last_step, user.totp_pending_secret = secret, enrolment_step, None
    codes = replace_recovery_codes(user)
    end_sessions(user)
    audit.record("2fa.enabled", user)
    security_mail(user, "two_factor_enabled")
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    """New recovery codes for a user whose password was confirmed; the old ones stop working."""
    codes = replace_recovery_codes(user)
    audit.record("2fa.recovery_codes_replaced", user)
    security_mail(user, "recovery_codes_replaced")
    return codes


def _turn_off(user: User, action: str, mail: str) -> None:
    user.totp_secret, user.totp_last_step, user.totp_pending_secret = None, 0, None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    end_sessions(user)
    audit.record(action, user)
    security_mail(user, mail)


def disable(user: User) -> None:
    """A member turns 2FA off (password confirmed); staff may not (the view refuses)."""
    _turn_off(user, "2fa.disabled", "two_factor_disabled")


def reset(user: User) -> None:
    """An operator's decision for someone who lost both phone and recovery codes: 2FA is off
    and every session ends; a ministry account must enrol again at its next login."""
    if not user.has_two_factor:
        raise DomainError(_l("This account does not use two-factor authentication."))
    _turn_off(user, "2fa.reset", "two_factor_reset")


def reset_staff(user: User) -> None:
    """An admin's reset, for ministry accounts only: members manage their own 2FA."""
    if not user.is_staff:
        raise DomainError(_l("Only ministry accounts can be reset here."))
    reset(user)


def _spend_step(user: User, step: int) -> bool:
    """Record the time step as used, atomically: of two requests with one code, one wins."""
    spent = db.session.execute(
        update(User).where(User.id == user.id, User.totp_last_step < step)
        .values(totp_last_step=step).execution_options(synchronize_session=False))
    db.session.refresh(user, ["totp_last_step"])
    return spent.rowcount == 1


def _spend_recovery_code(user: User, code: str) -> bool:
    """Mark an unused recovery code used, with one conditional UPDATE checked by its row count."""
    matches = or_((RecoveryCode.digest == _keyed_digest(code)) & RecoveryCode.keyed,
                  (RecoveryCode.digest == _legacy_digest(code)) & ~RecoveryCode.keyed)
    spent = db.session.execute(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None), matches)
        .values(used_at=utcnow()).execution_options(synchronize_session=False))
    return spent.rowcount >= 1


def verify(user: User, code: str) -> bool:
    """Accept a current code once (never the same time step twice) or an unused recovery code."""
    if not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code)
    if step is not None:
        return _spend_step(user, step)
    if _spend_recovery_code(user, code):
        audit.record("2fa.recovery_code_used", user, actor=user,
                     remaining=remaining_recovery_codes(user))
        return True
    return False

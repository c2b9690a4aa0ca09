"""Two-factor authentication with time-based codes (RFC 6238) and single-use recovery codes.

Callers commit.
"""

import hashlib
import secrets

import pyotp
import segno

from portal import audit
from portal.auth.models import User
from portal.auth.services import end_sessions
from portal.database import utcnow

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


def _matching_step(secret: str, code: str) -> int | None:
    """The time step (previous, current or next, for clock drift) whose code this is."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp, now = pyotp.TOTP(secret), utcnow()
    step = totp.timecode(now)
    for candidate in (step - 1, step, step + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def code_is_valid(secret: str, code: str) -> bool:
    return _matching_step(secret, code) is not None


def _digest(code: str) -> str:
    return hashlib.sha256("".join(code.split()).lower().encode()).hexdigest()


def _new_recovery_codes() -> list[str]:
    return [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]


def enable(user: User, secret: str) -> list[str]:
    """Turn 2FA on with a confirmed secret; returns the recovery codes to show once."""
    codes = _new_recovery_codes()
    user.totp_secret, user.totp_last_step = secret, 0
    user.recovery_code_hashes = [_digest(code) for code in codes]
    end_sessions(user)
    audit.record("2fa.enabled", user)
    return codes


def disable(user: User) -> None:
    user.totp_secret, user.totp_last_step, user.recovery_code_hashes = None, 0, []
    end_sessions(user)
    audit.record("2fa.disabled", user)


def verify(user: User, code: str) -> bool:
    """Accept a current code once (never the same time step twice) or an unused recovery code."""
    step = _matching_step(user.totp_secret, code) if user.totp_secret else None
    if step is not None and step > user.totp_last_step:
        user.totp_last_step = step
        return True
    digest = _digest(code)
    if step is None and digest in user.recovery_code_hashes:
        user.recovery_code_hashes = [h for h in user.recovery_code_hashes if h != digest]
        audit.record("2fa.recovery_code_used", user, actor=user,
                     remaining=len(user.recovery_code_hashes))
        return True
    return False

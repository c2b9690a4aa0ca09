"""Settings read from the environment, with safe defaults."""

import os
import secrets
from pathlib import Path


def _secret_key(instance_path: Path) -> str:
    """Use SECRET_KEY, else a key generated once and kept in instance/ (never in the code)."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", f"sqlite:///{instance_path / 'portal.sqlite3'}")
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants a driver name.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def from_environment(instance_path: str) -> dict:
    path = Path(instance_path)
    path.mkdir(parents=True, exist_ok=True)
    mail_port = os.environ.get("MAIL_PORT", "25")
    https_only = os.environ.get("SESSION_COOKIE_SECURE") == "1"  # served over HTTPS
    environment = os.environ.get("PORTAL_ENV", "development")
    database_url = _database_url(path)
    return {
        # "production" requires PORTAL_BASE_URL, trusts only its host and refuses demo accounts.
        "PORTAL_ENV": environment,
        "SECRET_KEY": _secret_key(path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        # A server connection may have been dropped while pooled (a restart, a timeout): test
        # it on checkout. A SQLite file cannot be, and the test would cost every request.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": not database_url.startswith("sqlite")},
        "MAIL_SERVER": os.environ.get("MAIL_SERVER") or None,
        "MAIL_PORT": int(mail_port) if mail_port.isdigit() else 25,
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "portal@momd.gov.iq"),
        # Where the portal is reached: the base of every link in a mail.
        "PORTAL_BASE_URL": os.environ.get("PORTAL_BASE_URL")
        or (None if environment == "production" else "http://127.0.0.1:5000"),
        # Where `demo load` keeps the demo accounts' credentials (mode 0600).
        "DEMO_CREDENTIALS_FILE": str(path / "demo-credentials.txt"),
        "PORTAL_DEFAULT_LOCALE": os.environ.get("PORTAL_DEFAULT_LOCALE", "ar"),
        # The ministry's contact details on /contact. The defaults are demo values (the real
        # city, but no real address, an unassigned phone number and a reserved .example
        # domain): set all four before going live. Hours are "DAY-DAY HH:MM-HH:MM", so that
        # each language names the days and writes the times its own way.
        "CONTACT_ADDRESS": os.environ.get("CONTACT_ADDRESS", "Demo address, Baghdad, Iraq"),
        "CONTACT_PHONE": os.environ.get("CONTACT_PHONE", "+964 1 000 0000"),
        "CONTACT_EMAIL": os.environ.get("CONTACT_EMAIL", "contact@momd.example"),
        "CONTACT_HOURS": os.environ.get("CONTACT_HOURS", "sun-thu 08:00-14:00"),
        "DEBUG": os.environ.get("FLASK_DEBUG") == "1",
        # Attempt counters live in the database unless this names a Redis server (redis://…).
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI") or None,
        # How many reverse proxies stand in front (X-Forwarded-For is trusted only that far).
        "PROXY_COUNT": int(os.environ.get("PROXY_COUNT", "0") or 0),
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Forms one signed-in account may send per hour, all forms together.
        "WRITE_LIMIT_PER_HOUR": int(os.environ.get("WRITE_LIMIT_PER_HOUR", 600)),
        "PROPOSALS_PER_DAY": int(os.environ.get("PROPOSALS_PER_DAY", 5)),
        # Days the ministry takes to decide on a submitted needs report before the review
        # list marks it overdue.
        "NEEDS_REVIEW_DAYS": int(os.environ.get("NEEDS_REVIEW_DAYS", 14)),
        # Publishing an announcement that would mail more members than this waits for a
        # second staff member's approval.
        "ANNOUNCEMENT_APPROVAL_ABOVE": int(os.environ.get("ANNOUNCEMENT_APPROVAL_ABOVE", 1000)),
        # Council posts: a member's first posts wait for a moderator, with few links; posts
        # per member per hour; distinct members' reports that hide a post until staff decide.
        "POSTS_BEFORE_TRUSTED": int(os.environ.get("POSTS_BEFORE_TRUSTED", 3)),
        "LINKS_BEFORE_TRUSTED": int(os.environ.get("LINKS_BEFORE_TRUSTED", 2)),
        "POSTS_PER_HOUR": int(os.environ.get("POSTS_PER_HOUR", 10)),
        "MODERATION_HIDE_AFTER": int(os.environ.get("MODERATION_HIDE_AFTER", 3)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": https_only,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": https_only,
        # A leader may take a long time over a survey; the CSRF token must outlive that.
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        # Idle timeouts and absolute session lifetimes, in seconds.
        "STAFF_IDLE_TIMEOUT": int(os.environ.get("STAFF_IDLE_TIMEOUT", 30 * 60)),
        "MEMBER_IDLE_TIMEOUT": int(os.environ.get("MEMBER_IDLE_TIMEOUT", 7 * 24 * 3600)),
        "STAFF_SESSION_LIFETIME": 12 * 3600,
        "MEMBER_SESSION_LIFETIME": 30 * 24 * 3600,
        "REMEMBER_COOKIE_DURATION": 30 * 24 * 3600,
        "PASSWORD_HASH_PROFILE": "RFC_9106_LOW_MEMORY",
        "VERIFY_TOKEN_MAX_AGE": 3 * 24 * 3600,
        "RESET_TOKEN_MAX_AGE": 3600,
        "PRIVACY_NOTICE_VERSION": "2026-11",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).resolve().parents[1] / "translations"),
    }

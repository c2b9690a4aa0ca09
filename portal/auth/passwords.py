"""Password policy (ASVS 5.0 level 2): length 10 to 128, no composition rules, not a common
password, not built on the account's email address."""

import gzip
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l

from portal.forms import length_message

# 19,646 passwords most often found in breaches, as shipped by Django (CC BY 3.0, Royce Williams).
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt.gz")
MIN_LENGTH, MAX_LENGTH = 10, 128


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip().lower() for line in lines if line.strip())


def password_problem(password: str, email: str | None):
    """Why this password is refused (a translated message), or None when it is acceptable."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return length_message(MIN_LENGTH, MAX_LENGTH)
    if password.lower() in common_passwords():
        return _l("This password is too common: it is among the first ones attackers try. "
                  "Please choose another.")
    local_part = (email or "").partition("@")[0].lower()
    if len(local_part) >= 3 and local_part in password.lower():
        return _l("Please do not build your password on your email address.")
    return None

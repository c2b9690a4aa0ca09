"""Believable demo content for a new installation. Every demo password is in the README."""

from sqlalchemy import select

from portal.auth.models import Role, User
from portal.auth.services import create_verified_user
from portal.extensions import db

DEMO_PASSWORD = "demo-portal-2026"

DEMO_USERS = [
    ("admin@demo.momd.gov.iq", "مدير النظام", Role.ADMIN, "ar"),
    ("staff@demo.momd.gov.iq", "سارا الحسيني", Role.STAFF, "ar"),
    ("ahmed@demo.example", "Ahmed Jabbar", Role.MEMBER, "ar"),
    ("shno@demo.example", "شنۆ کەریم", Role.MEMBER, "ckb"),
    ("rezan@demo.example", "Rezan Xelîl", Role.MEMBER, "ku"),
    ("zainab@demo.example", "Zainab Hussein", Role.MEMBER, "sv"),
    ("mustafa@demo.example", "Mustafa Ali", Role.MEMBER, "tr"),
    ("layla@demo.example", "Layla Abbas", Role.MEMBER, "de"),
]


def load_demo() -> bool:
    """Add the demo content to an empty database. Returns False when there was content."""
    if db.session.scalar(select(User.id).limit(1)) is not None:
        return False
    for email, name, role, locale in DEMO_USERS:
        create_verified_user(email, name, DEMO_PASSWORD, role, locale)
    return True

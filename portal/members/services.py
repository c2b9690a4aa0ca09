"""Member rules: the profile, what council leaders may see, download my data, delete my account.

Plain functions that flush; the caller commits.
"""

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from portal import audit
from portal.audit import AuditEvent
from portal.auth.models import RecoveryCode, User
from portal.auth.services import end_sessions
from portal.database import utcnow
from portal.errors import DomainError
from portal.extensions import db
from portal.forms import number_message
from portal.i18n import country_choices, country_name, localize_digits, time_zones, today
from portal.mail import OutboxMessage
from portal.members.choices import (
    DEFAULT_SHARED,
    DOCUMENTATION_NEEDS,
    GOVERNORATES,
    RESIDENCE_STATUSES,
    SHAREABLE_FIELDS,
)
from portal.members.models import Profile

YEAR_LEFT_MIN = 1950
SENSITIVE_FIELDS = ("residence_status", "documentation_needs")
PLAIN_FIELDS = ("country", "city", "governorate", "year_left", "occupation", "skills",
                "languages", "phone")


def display_name(user: User) -> str:
    """The name to show for a user: a translated "Deleted member" once the account is deleted."""
    return _("Deleted member") if user.deleted_at else user.display_name


def profile_of(user: User) -> Profile:
    """The member's profile, created (and added to the session) on first use."""
    profile = user.profile
    if profile is None:
        profile = Profile(user=user, documentation_needs=[],
                          shared_with_leaders=list(DEFAULT_SHARED))
        db.session.add(profile)
    return profile


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
    return None if value == "" else value


def _check_answers(country, governorate, year_left, residence_status, needs) -> None:
    """Codes outside our lists would corrupt the ministry's statistics, so they are refused."""
    known = ((country, {code for code, _name in country_choices()}),
             (governorate, GOVERNORATES), (residence_status, RESIDENCE_STATUSES))
    if any(value and value not in codes for value, codes in known) \
            or not set(needs) <= DOCUMENTATION_NEEDS.keys():
        raise DomainError(_l("Please choose one of the options."))
    this_year = today().year  # the member's year: at New Year it is not the server's
    if year_left is not None and not YEAR_LEFT_MIN <= year_left <= this_year:
        raise DomainError(number_message(YEAR_LEFT_MIN, this_year))


def update_profile(user: User, *, country: str | None, city: str | None,
                   governorate: str | None, year_left: int | None, occupation: str | None,
                   skills: str | None, languages: str | None, phone: str | None,
                   residence_status: str | None, documentation_needs: list[str]) -> Profile:
    """Save the profile; empty answers are stored as no answer.

    ``sensitive_updated_at`` records when the sensitive answers last changed, so staff can
    tell how current they are.
    """
    needs = documentation_needs or []
    _check_answers(_clean(country), _clean(governorate), year_left, _clean(residence_status),
                   needs)
    profile = profile_of(user)
    plain = dict(zip(PLAIN_FIELDS, (country, city, governorate, year_left, occupation, skills,
                                    languages, phone), strict=True))
    for name, value in plain.items():
        setattr(profile, name, _clean(value))
    status = _clean(residence_status)
    ordered_needs = [code for code in DOCUMENTATION_NEEDS if code in needs]
    if (status, ordered_needs) != (profile.residence_status, profile.documentation_needs or []):
        profile.sensitive_updated_at = utcnow()
    profile.residence_status, profile.documentation_needs = status, ordered_needs
    db.session.flush()
    return profile


def update_sharing(user: User, fields: list[str]) -> None:
    """Choose what the leaders of the member's councils may see (only SHAREABLE_FIELDS)."""
    if not set(fields) <= SHAREABLE_FIELDS.keys():
        raise DomainError(_l("Please choose one of the options."))
    profile_of(user).shared_with_leaders = [code for code in SHAREABLE_FIELDS if code in fields]
    db.session.flush()


def set_time_zone(user: User, zone: str | None) -> None:
    """Show the member's dates and times in ``zone`` (an IANA name from the list offered), or,
    with None, in the zone of their country of residence."""
    if zone is not None and zone not in time_zones():
        raise DomainError(_l("Please choose a time zone from the list."))
    user.time_zone = zone
    db.session.flush()


def shared_with_leaders(user: User) -> list[tuple[str, str, str]]:
    """(code, translated label, shown value) of each field the member shares that has a value.

    This is all a council leader ever sees of a member. The sensitive answers are never
    included, whatever the stored choice says.
    """
    if user.deleted_at:
        return []
    profile = user.profile
    shared = profile.shared_with_leaders if profile else DEFAULT_SHARED
    rows = []
    for code, label in SHAREABLE_FIELDS.items():
        if code in shared and code not in SENSITIVE_FIELDS:
            value = _shown_value(user, profile, code)
            if value:
                rows.append((code, str(label), value))
    return rows


def _shown_value(user: User, profile: Profile | None, code: str) -> str | None:
    if code in ("email", "display_name"):
        return getattr(user, code)
    value = getattr(profile, code, None)
    if value is None or value == "":
        return None
    if code == "country":
        return country_name(value)
    if code == "governorate":
        return str(GOVERNORATES.get(value, value))
    if code == "year_left":
        return localize_digits(str(value))
    return value


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _profile_data(profile: Profile | None) -> dict:
    data = {name: getattr(profile, name, None) for name in (*PLAIN_FIELDS, *SENSITIVE_FIELDS)}
    data["documentation_needs"] = list(data["documentation_needs"] or [])
    data["shared_with_leaders"] = list(profile.shared_with_leaders if profile else DEFAULT_SHARED)
    for name in ("sensitive_updated_at", "created_at", "updated_at"):
        data[name] = _iso(getattr(profile, name, None))
    return data


def _membership_data(membership) -> dict:
    return {
        "council": {"slug": membership.council.slug, "name": membership.council.name},
        "role": membership.role.value, "status": membership.status.value,
        "is_home": membership.is_home, "requested_at": _iso(membership.requested_at),
        "decided_at": _iso(membership.decided_at), "reason_code": membership.reason_code,
        "reason": membership.reason,
    }


def _mail_data(user: User) -> list[dict]:
    """Mail queued or sent to the member, without bodies: those carry one-time links."""
    messages = db.session.scalars(select(OutboxMessage).where(
        func.lower(OutboxMessage.recipient) == (user.email or "").lower())
        .order_by(OutboxMessage.id))
    return [{"subject": m.subject, "locale": m.locale, "status": m.status.value,
             "created_at": _iso(m.created_at), "sent_at": _iso(m.sent_at)} for m in messages]


def _audit_data(user: User) -> list[dict]:
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.actor_id == user.id)
                                .order_by(AuditEvent.id))
    return [{"action": e.action, "subject_type": e.subject_type, "subject_id": e.subject_id,
             "details": e.details, "address": e.address, "created_at": _iso(e.created_at)}
            for e in events]


def export_data(user: User) -> dict:
    """Everything the portal holds about the member, as JSON-ready values.

    Every export is an audit event (recorded after the export is assembled).
    """
    data = {
        "account": {
            "email": user.email, "display_name": user.display_name, "locale": user.locale,
            "role": user.role.value, "created_at": _iso(user.created_at),
            "email_verified_at": _iso(user.email_verified_at),
        },
        "consents": {"privacy_version": user.privacy_version,
                     "privacy_accepted_at": _iso(user.privacy_accepted_at),
                     "announcement_mail": user.announcement_mail},
        "profile": _profile_data(user.profile),
        "memberships": [_membership_data(m) for m in user.memberships],
        "mail": _mail_data(user),
        "audit_events": _audit_data(user),
    }
    # Features built on members add their part (posts, reports, appeals): create_app lists
    # them, as this package cannot import what depends on it.
    for part in current_app.extensions.get("member_data", ()):
        data |= part(user)
    audit.record("member.data_exported", user, actor=user)
    db.session.flush()
    return data


def delete_account(user: User) -> None:
    """Anonymize the account: personal fields, profile, memberships and mail are erased.

    The user row stays (without email, password or name) so that what the member wrote keeps
    an author, shown as "Deleted member". The address is free to register again.
    """
    if user.email:
        db.session.execute(delete(OutboxMessage).where(
            func.lower(OutboxMessage.recipient) == user.email.lower()))
    user.memberships.clear()  # delete-orphan: the rows go
    if user.profile is not None:
        db.session.delete(user.profile)
    user.email = user.password_hash = user.totp_secret = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.display_name = ""
    user.deleted_at = utcnow()
    end_sessions(user)
    audit.record("account.deleted", user, actor=user)
    db.session.flush()
    db.session.expire(user, ["profile"])

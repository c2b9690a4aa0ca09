"""The ministry's contact details, written the way each reader expects them."""

import re
from datetime import time
from urllib.parse import urlsplit

from babel.dates import format_time, get_day_names
from flask_babel import get_locale
from flask_babel import gettext as _

from portal.i18n import localize_digits

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # CLDR's order: 0 is Monday
_HOURS = re.compile(r"(?P<first>[a-z]{3})-(?P<last>[a-z]{3}) "
                    r"(?P<opens>\d{1,2}:\d{2})-(?P<closes>\d{1,2}:\d{2})")


def _time(text: str) -> str:
    hours, minutes = text.split(":")
    moment = time(int(hours), int(minutes))
    return localize_digits(format_time(moment, "short", locale=get_locale()))


def office_hours(setting: str) -> str:
    """CONTACT_HOURS in the reader's language: "sun-thu 08:00-14:00" becomes "Sunday to
    Thursday, 8:00 AM to 2:00 PM" with CLDR's day names and time format. A setting in any
    other shape is shown as the operator wrote it, rather than failing the page."""
    found = _HOURS.fullmatch(setting.strip().lower())
    if not found or not {found["first"], found["last"]} <= set(_DAYS):
        return setting
    days = get_day_names("wide", locale=get_locale())
    try:
        opens, closes = _time(found["opens"]), _time(found["closes"])
    except ValueError:  # 25:00
        return setting
    return _("%(first)s to %(last)s, %(opens)s to %(closes)s",
             first=days[_DAYS.index(found["first"])], last=days[_DAYS.index(found["last"])],
             opens=opens, closes=closes)


def tel_uri(phone: str) -> str:
    """A tel: link for a number written with spaces or dashes (RFC 3966 allows neither
    spaces nor letters)."""
    return "tel:" + re.sub(r"[^\d+]", "", phone)


def portal_domain(base_url: str) -> str:
    """The host people must see in the address bar: PORTAL_BASE_URL's, the one the portal
    answers on in production."""
    return urlsplit(base_url).hostname or base_url

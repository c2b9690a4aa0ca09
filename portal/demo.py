"""Believable demo content for a new installation.

Every account it makes is flagged ``is_demo`` and gets a random password (staff and admins a
random TOTP secret too), printed once and written to a file only its owner can read: a demo
started where others can reach it must not be owned by whoever logs in first. A production
start refuses to serve while a demo account exists; `remove_demo` takes them away.
"""

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

import pyotp
from sqlalchemy import func, select

from portal.announcements.demo import load_announcements_demo, remove_demo_announcements
from portal.auth import totp
from portal.auth.models import Role, User
from portal.auth.services import create_verified_user
from portal.councils import services as councils
from portal.councils.models import Council, CouncilStatus, Membership
from portal.extensions import db
from portal.members.models import Profile
from portal.members.services import delete_account
from portal.needs.demo import load_needs_demo
from portal.needs.tallies import retally_everything
from portal.posts.demo import load_posts_demo

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

def _names(pattern: dict[str, str], cities: dict[str, str | None]) -> dict:
    """A council's (name, city) in each language, from each language's naming pattern."""
    return {code: (pattern[code].format(city=cities[code]), cities[code]) for code in pattern}


_CITY_PATTERN = {
    "en": "Iraqi Community Council of {city}", "ar": "مجلس الجالية العراقية في {city}",
    "ckb": "ئەنجومەنی کۆمەڵگەی عێراقی لە {city}", "ku": "Encumena Civaka Iraqî li {city}",
    "tr": "{city} Iraklı Topluluk Konseyi", "fa": "شورای جامعهٔ عراقی‌ها در {city}",
    "de": "Irakischer Gemeinschaftsrat {city}", "sv": "Irakiska gemenskapsrådet i {city}",
}
_LOCALES = tuple(_CITY_PATTERN)


def _cities(*names: str) -> dict[str, str]:
    return dict(zip(_LOCALES, names, strict=True))


def _country_wide(*names: str) -> dict:
    return {code: (name, None) for code, name in zip(_LOCALES, names, strict=True)}


# country, default language (the one its name was first written in), name and city in every
# language (the English city also makes the slug), description in the default language
DEMO_COUNCILS = [
    ("TR", "en", _names(_CITY_PATTERN, _cities(
        "Istanbul", "إسطنبول", "ئیستانبوڵ", "Stenbol", "İstanbul", "استانبول", "Istanbul",
        "Istanbul")),
     "Iraqis in Istanbul: residence permits, schooling for children, and work."),
    ("TR", "ar", _names(_CITY_PATTERN, _cities(
        "Ankara", "أنقرة", "ئەنقەرە", "Enqere", "Ankara", "آنکارا", "Ankara", "Ankara")),
     "يجمع العراقيين المقيمين في أنقرة ويتابع معاملات الإقامة والوثائق."),
    ("IR", "ar", _names(_CITY_PATTERN, _cities(
        "Tehran", "طهران", "تاران", "Tehran", "Tahran", "تهران", "Teheran", "Teheran")),
     "للعراقيين في طهران: الوثائق المدنية، والدراسة، والعودة الطوعية."),
    ("IR", "ar", _names(_CITY_PATTERN, _cities(
        "Qom", "قم", "قوم", "Qom", "Kum", "قم", "Ghom", "Qom")),
     "العراقيون في قم وطلاب الحوزات وعوائلهم."),
    ("DE", "de", _names(_CITY_PATTERN, _cities(
        "Berlin", "برلين", "بەرلین", "Berlîn", "Berlin", "برلین", "Berlin", "Berlin")),
     "Treffpunkt der Iraker und Irakerinnen in Berlin, Beratung zu Dokumenten und Arbeit."),
    ("SE", "sv", _names(_CITY_PATTERN, _cities(
        "Stockholm", "ستوكهولم", "ستۆکهۆڵم", "Stockholm", "Stockholm", "استکهلم", "Stockholm",
        "Stockholm")),
     "För irakier i Stockholmsområdet: föreningsliv, språk och kontakter med ministeriet."),
    ("NL", "en", _country_wide(
        "Iraqi Community Council of the Netherlands", "مجلس الجالية العراقية في هولندا",
        "ئەنجومەنی کۆمەڵگەی عێراقی لە هۆڵەندا", "Encumena Civaka Iraqî li Holendayê",
        "Hollanda Iraklı Topluluk Konseyi", "شورای جامعهٔ عراقی‌ها در هلند",
        "Irakischer Gemeinschaftsrat der Niederlande", "Irakiska gemenskapsrådet i Nederländerna"),
     "A council for Iraqis throughout the Netherlands."),
    ("GB", "en", _country_wide(
        "Iraqi Community Council in the United Kingdom",
        "مجلس الجالية العراقية في المملكة المتحدة",
        "ئەنجومەنی کۆمەڵگەی عێراقی لە شانشینی یەکگرتوو",
        "Encumena Civaka Iraqî li Keyaniya Yekbûyî", "Birleşik Krallık Iraklı Topluluk Konseyi",
        "شورای جامعهٔ عراقی‌ها در بریتانیا", "Irakischer Gemeinschaftsrat im Vereinigten Königreich",
        "Irakiska gemenskapsrådet i Storbritannien"),
     "Iraqis across the UK: documents, return visits and professional networks."),
]

# email, name, locale, council index, leader, country, city, governorate, year left,
# occupation, skills, languages, phone, residence status, documentation needs
DEMO_MEMBERS = [
    ("ahmed@demo.example", None, None, 0, True, "TR", "Istanbul", "IQ-BG", 2014,
     "Civil engineer", "Construction, project management", "Arabic, Turkish, English",
     "+90 532 555 0101", "temporary_permit", ["passport"]),
    ("mustafa@demo.example", None, None, 1, True, "TR", "Ankara", "IQ-NI", 2015,
     "Pharmacist", "Medicine, translation", "Arabic, Turkish", None, "citizen", []),
    ("haider@demo.example", "حيدر الموسوي", "ar", 2, True, "IR", "Tehran", "IQ-NA", 2003,
     "مدرس", "تعليم، خط عربي", "العربية، الفارسية", None, "permanent_resident",
     ["civil_status_record"]),
    ("fatima@demo.example", "فاطمة الكعبي", "fa", 3, True, "IR", "Qom", "IQ-BA", 2006,
     "ممرضة", "تمريض، إسعافات أولية", "العربية، الفارسية", None, "temporary_permit",
     ["national_id", "passport"]),
    ("layla@demo.example", None, None, 4, True, "DE", "Berlin", "IQ-AR", 2016,
     "Software developer", "Programming, Kurdish teaching", "Kurdish, Arabic, German, English",
     "+49 151 5550 2020", "permanent_resident", []),
    ("zainab@demo.example", None, None, 5, True, "SE", "Stockholm", "IQ-KA", 2008,
     "Social worker", "Counselling, interpreting", "Arabic, Swedish, English", None, "citizen",
     []),
    ("shno@demo.example", None, None, 6, True, "NL", "Rotterdam", "IQ-SU", 2011,
     "Midwife", "Health care, Dutch", "Kurdish, Dutch, English", None, "citizen", []),
    ("omar@demo.example", "Omar Saleh", "en", 7, True, "GB", "Manchester", "IQ-AN", 2007,
     "Accountant", "Accounting, tax returns", "Arabic, English", "+44 7700 900123",
     "citizen", ["passport"]),
    ("rezan@demo.example", None, None, 0, False, "TR", "Istanbul", "IQ-DA", 2014,
     "Tailor", "Sewing, Kurmanji and Turkish", "Kurdish, Turkish", None, "asylum_seeker",
     ["passport", "civil_status_record"]),
    ("noor@demo.example", "نور عبد الله", "ar", 0, False, "TR", "Istanbul", "IQ-DI", 2017,
     "طالبة جامعية", "تصميم", "العربية، التركية، الإنكليزية", None, "temporary_permit", []),
    ("karwan@demo.example", "کاروان مەحمود", "ckb", 4, False, "DE", "Berlin", "halabja", 2015,
     "Electrician", "Electrical installation", "Kurdish, German", None, "asylum_refused",
     ["national_id"]),
    ("yousif@demo.example", "Yousif Matti", "de", 4, False, "DE", "Berlin", "IQ-NI", 2014,
     "Chef", "Cooking, Syriac", "Arabic, Syriac, German", None, "temporary_permit", []),
    ("hawraa@demo.example", "حوراء جاسم", "sv", 5, False, "SE", "Södertälje", "IQ-BG", 2009,
     "Dentist", "Dentistry", "Arabic, Swedish", None, "citizen", []),
    ("ali.qom@demo.example", "علي الزيدي", "ar", 3, False, "IR", "Qom", "IQ-DQ", 2004,
     "طالب علوم دينية", "الخطابة", "العربية، الفارسية", None, "no_documents",
     ["passport", "national_id", "civil_status_record"]),
    ("sara.nl@demo.example", "Sara Kareem", "en", 6, False, "NL", "Utrecht", "IQ-KI", 2019,
     "Student", "Data analysis", "Arabic, Turkmen, English, Dutch", None, "asylum_seeker",
     ["passport"]),
]

# Requests that a leader still has to decide: email, name, locale, council index.
DEMO_REQUESTS = [
    ("hassan@demo.example", "حسن كاظم", "ar", 0),
    ("dilan@demo.example", "Dilan Ehmed", "ku", 4),
]

DEMO_PROPOSAL = ("Iraqi Community Council of Malmö", "SE", "Malmö",
                 "There are many Iraqi families in Malmö and no council yet.")


@dataclass
class Credentials:
    email: str
    role: Role
    password: str
    totp_secret: str | None = None

    def lines(self) -> list[str]:
        if not self.totp_secret:
            return [f"{self.email} ({self.role})  password: {self.password}"]
        uri = pyotp.TOTP(self.totp_secret).provisioning_uri(
            name=self.email, issuer_name=totp.ISSUER)
        return [f"{self.email} ({self.role})", f"  password:    {self.password}",
                f"  TOTP secret: {self.totp_secret}", f"  {uri}"]


class _Accounts:
    """Makes the demo accounts: one random password for every member, and for each ministry
    account a password and an enrolled TOTP secret of its own."""

    def __init__(self):
        self.member_password = secrets.token_urlsafe(12)
        self.made: list[Credentials] = []

    def make(self, email: str, name: str, role: Role, locale: str) -> User:
        password = self.member_password
        if role != Role.MEMBER:
            password = secrets.token_urlsafe(16)
        user = create_verified_user(email, name, password, role, locale)
        user.is_demo = True
        credentials = Credentials(email, role, password)
        if user.is_staff:  # enrolled here, without the mail the 2FA pages send
            user.totp_secret = credentials.totp_secret = totp.new_secret()
        self.made.append(credentials)
        return user


def load_demo() -> list[Credentials] | None:
    """Add the demo content to an empty database and return the accounts' credentials; None
    when there was content."""
    if db.session.scalar(select(User.id).limit(1)) is not None:
        return None
    accounts = _Accounts()
    users = {email: accounts.make(email, name, role, locale)
             for email, name, role, locale in DEMO_USERS}
    created = [_council(*row) for row in DEMO_COUNCILS]
    for row in DEMO_MEMBERS:
        email, name, locale, index, leader, *profile = row
        user = users.get(email) or accounts.make(email, name, Role.MEMBER, locale)
        _add_profile(user, *profile)
        councils.add_member(created[index], user, leader=leader)
    for email, name, locale, index in DEMO_REQUESTS:
        councils.request_to_join(accounts.make(email, name, Role.MEMBER, locale), created[index])
    name, country, city, description = DEMO_PROPOSAL
    councils.create_council(name, country, city, description, CouncilStatus.PROPOSED,
                            proposed_by=users["zainab@demo.example"])
    load_needs_demo(created, users["staff@demo.momd.gov.iq"])
    load_announcements_demo(created, users["staff@demo.momd.gov.iq"])
    load_posts_demo(users["staff@demo.momd.gov.iq"])
    return accounts.made


def _council(country: str, default: str, texts: dict, description: str) -> Council:
    """Made from its English name and city, so that its slug reads well (tr-ankara), then
    given its texts in every language and its default language."""
    english_name, english_city = texts["en"]
    council = councils.create_council(english_name, country, english_city)
    councils.update_council(council, country, default, {
        code: councils.PlaceTexts(name, city, description if code == default else None)
        for code, (name, city) in texts.items()})
    return council


def credentials_text(made: list[Credentials]) -> str:
    lines = ["Demo accounts made by `flask --app wsgi demo load`. Before anyone else can reach",
             "this portal, remove them: flask --app wsgi demo remove", ""]
    for credentials in made:
        lines += credentials.lines()
    return "\n".join(lines) + "\n"


def write_credentials(path: Path, text: str) -> None:
    """Write a new file readable by its owner only (mode 0600). Removing the old one first
    means the mode is not inherited from it, and a planted symbolic link is not followed."""
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)


def remove_demo() -> tuple[int, int]:
    """Anonymize every demo account as deleting one's own account does, then delete the demo
    councils nobody else belongs to; return how many of each. Councils that real members
    joined stay."""
    users = db.session.scalars(select(User).where(User.is_demo,
                                                  User.deleted_at.is_(None))).all()
    remove_demo_announcements([user.id for user in users])
    for user in users:
        delete_account(user)
    names = [texts[default][0] for _country, default, texts, _ in DEMO_COUNCILS]
    names.append(DEMO_PROPOSAL[0])
    joined = select(func.count(Membership.id)).where(
        Membership.council_id == Council.id).scalar_subquery()
    empty = db.session.scalars(select(Council).where(Council.name.in_(names), joined == 0)).all()
    for council in empty:
        db.session.delete(council)
    db.session.flush()
    if empty:
        retally_everything()  # their needs reports went with them, and are no longer counted
    return len(users), len(empty)


def _add_profile(user, country, city, governorate, year_left, occupation, skills, languages,
                 phone, residence_status, documentation_needs) -> None:
    db.session.add(Profile(
        user=user, country=country, city=city, governorate=governorate, year_left=year_left,
        occupation=occupation, skills=skills, languages=languages, phone=phone,
        residence_status=residence_status, documentation_needs=documentation_needs,
        shared_with_leaders=["display_name", "city", "occupation", "skills", "languages"],
    ))

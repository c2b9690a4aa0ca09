"""Believable demo content for a new installation. Every demo password is in the README."""

from sqlalchemy import select

from portal.auth.models import Role, User
from portal.auth.services import create_verified_user
from portal.councils import services as councils
from portal.councils.models import CouncilStatus
from portal.extensions import db
from portal.members.models import Profile

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105  (published in the README, demo only)

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

# name, country, city (None: the whole country), description
DEMO_COUNCILS = [
    ("Iraqi Community Council of Istanbul", "TR", "Istanbul",
     "Iraqis in Istanbul: residence permits, schooling for children, and work."),
    ("مجلس الجالية العراقية في أنقرة", "TR", "Ankara",
     "يجمع العراقيين المقيمين في أنقرة ويتابع معاملات الإقامة والوثائق."),
    ("مجلس الجالية العراقية في طهران", "IR", "Tehran",
     "للعراقيين في طهران: الوثائق المدنية، والدراسة، والعودة الطوعية."),
    ("مجلس الجالية العراقية في قم", "IR", "Qom", "العراقيون في قم وطلاب الحوزات وعوائلهم."),
    ("Irakischer Gemeinschaftsrat Berlin", "DE", "Berlin",
     "Treffpunkt der Iraker und Irakerinnen in Berlin, Beratung zu Dokumenten und Arbeit."),
    ("Irakiska gemenskapsrådet i Stockholm", "SE", "Stockholm",
     "För irakier i Stockholmsområdet: föreningsliv, språk och kontakter med ministeriet."),
    ("Iraqi Community Council of the Netherlands", "NL", None,
     "A council for Iraqis throughout the Netherlands."),
    ("Iraqi Community Council in the United Kingdom", "GB", None,
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


def load_demo() -> bool:
    """Add the demo content to an empty database. Returns False when there was content."""
    if db.session.scalar(select(User.id).limit(1)) is not None:
        return False
    users = {email: create_verified_user(email, name, DEMO_PASSWORD, role, locale)
             for email, name, role, locale in DEMO_USERS}
    created = [councils.create_council(name, country, city, description)
               for name, country, city, description in DEMO_COUNCILS]
    for row in DEMO_MEMBERS:
        email, name, locale, index, leader, *profile = row
        user = users.get(email) or create_verified_user(email, name, DEMO_PASSWORD,
                                                        Role.MEMBER, locale)
        _add_profile(user, *profile)
        councils.add_member(created[index], user, leader=leader)
    for email, name, locale, index in DEMO_REQUESTS:
        user = create_verified_user(email, name, DEMO_PASSWORD, Role.MEMBER, locale)
        councils.request_to_join(user, created[index])
    name, country, city, description = DEMO_PROPOSAL
    councils.create_council(name, country, city, description, CouncilStatus.PROPOSED,
                            proposed_by=users["zainab@demo.example"])
    return True


def _add_profile(user, country, city, governorate, year_left, occupation, skills, languages,
                 phone, residence_status, documentation_needs) -> None:
    db.session.add(Profile(
        user=user, country=country, city=city, governorate=governorate, year_left=year_left,
        occupation=occupation, skills=skills, languages=languages, phone=phone,
        residence_status=residence_status, documentation_needs=documentation_needs,
        shared_with_leaders=["display_name", "city", "occupation", "skills", "languages"],
    ))

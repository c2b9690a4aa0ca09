"""Coded answers of the profile, with their labels in every language.

Codes are what the database keeps; labels are looked up in the viewer's language.
"""

from flask_babel import lazy_gettext as _l

# The 18 governorates by ISO 3166-2:IQ code, plus Halabja, which ISO has not coded yet
# (GLOSSARY.md, Table 2).
GOVERNORATES = {
    "IQ-AN": _l("Anbar"),
    "IQ-BA": _l("Basra"),
    "IQ-BB": _l("Babil"),
    "IQ-BG": _l("Baghdad"),
    "IQ-DA": _l("Duhok"),
    "IQ-DI": _l("Diyala"),
    "IQ-DQ": _l("Dhi Qar"),
    "IQ-AR": _l("Erbil"),
    "IQ-KA": _l("Karbala"),
    "IQ-KI": _l("Kirkuk"),
    "IQ-MA": _l("Maysan"),
    "IQ-MU": _l("Al-Muthanna"),
    "IQ-NA": _l("Najaf"),
    "IQ-NI": _l("Nineveh"),
    "IQ-QA": _l("Al-Qadisiyyah"),
    "IQ-SD": _l("Salah ad-Din"),
    "IQ-SU": _l("Sulaymaniyah"),
    "IQ-WA": _l("Wasit"),
    "halabja": _l("Halabja"),
}

RESIDENCE_STATUSES = {
    "citizen": _l("Citizen of the country where I live"),
    "permanent_resident": _l("Permanent resident"),
    "temporary_permit": _l("Temporary residence permit"),
    "asylum_seeker": _l("Asylum seeker (claim not yet decided)"),
    "asylum_refused": _l("My asylum claim was rejected"),
    "no_documents": _l("No residence documents"),
}

DOCUMENTATION_NEEDS = {
    "passport": _l("Iraqi passport"),
    "national_id": _l("Unified National Card"),
    "civil_status_record": _l("Civil status record"),
    "other": _l("Another document"),
}

# What a member may let the leaders of their councils see. The display name and the city
# are shared by default; the rest only when the member says so.
SHAREABLE_FIELDS = {
    "display_name": _l("Display name"),
    "city": _l("City"),
    "country": _l("Country of residence"),
    "email": _l("Email address"),
    "phone": _l("Phone"),
    "governorate": _l("Governorate of origin"),
    "year_left": _l("Year you left Iraq"),
    "occupation": _l("Occupation"),
    "skills": _l("Skills"),
    "languages": _l("Languages spoken"),
}
DEFAULT_SHARED = ["display_name", "city"]

"""Translated names of needs sectors, question kinds, report states and the Global Compact for
Migration's objectives, for forms, pages, charts and exports."""

from flask_babel import lazy_gettext as _l

from portal.needs.models import QuestionKind, ReportStatus, Sector

SECTOR = {
    Sector.DOCUMENTATION: _l("Documentation and legal identity"),
    Sector.RETURN: _l("Return and reintegration"),
    Sector.EDUCATION: _l("Education"),
    Sector.HEALTH: _l("Health"),
    Sector.LIVELIHOODS: _l("Employment and livelihoods"),
    Sector.PSYCHOSOCIAL: _l("Psychosocial support"),
    Sector.HOUSING: _l("Housing"),
    Sector.LEGAL: _l("Legal aid"),
    Sector.INFORMATION: _l("Information"),
    Sector.OTHER: _l("Other needs"),
}

QUESTION_KIND = {
    QuestionKind.INTEGER: _l("Whole number"),
    QuestionKind.DECIMAL: _l("Decimal number"),
    QuestionKind.YES_NO: _l("Yes or no"),
    QuestionKind.SINGLE: _l("One choice"),
    QuestionKind.MULTIPLE: _l("Several choices"),
    QuestionKind.SHORT_TEXT: _l("Short text"),
    QuestionKind.LONG_TEXT: _l("Long text"),
    QuestionKind.DATE: _l("Date"),
}

REPORT_STATUS = {
    ReportStatus.DRAFT: _l("Draft"),
    ReportStatus.SUBMITTED: _l("Submitted"),
    ReportStatus.UNDER_REVIEW: _l("Under review"),
    ReportStatus.ACKNOWLEDGED: _l("Acknowledged"),
    ReportStatus.RETURNED: _l("Returned for changes"),
    ReportStatus.IN_PROGRESS: _l("In progress"),
    ReportStatus.RESOLVED: _l("Resolved"),
}

# The objectives of the Global Compact for Migration (A/RES/73/195), by number.
GCM_OBJECTIVE = {
    1: _l("Collect and utilize accurate and disaggregated data as a basis for evidence-based "
          "policies"),
    2: _l("Minimize the adverse drivers and structural factors that compel people to leave "
          "their country of origin"),
    3: _l("Provide accurate and timely information at all stages of migration"),
    4: _l("Ensure that all migrants have proof of legal identity and adequate documentation"),
    5: _l("Enhance availability and flexibility of pathways for regular migration"),
    6: _l("Facilitate fair and ethical recruitment and safeguard conditions that ensure decent "
          "work"),
    7: _l("Address and reduce vulnerabilities in migration"),
    8: _l("Save lives and establish coordinated international efforts on missing migrants"),
    9: _l("Strengthen the transnational response to smuggling of migrants"),
    10: _l("Prevent, combat and eradicate trafficking in persons in the context of international "
           "migration"),
    11: _l("Manage borders in an integrated, secure and coordinated manner"),
    12: _l("Strengthen certainty and predictability in migration procedures for appropriate "
           "screening, assessment and referral"),
    13: _l("Use migration detention only as a measure of last resort and work towards "
           "alternatives"),
    14: _l("Enhance consular protection, assistance and cooperation throughout the migration "
           "cycle"),
    15: _l("Provide access to basic services for migrants"),
    16: _l("Empower migrants and societies to realize full inclusion and social cohesion"),
    17: _l("Eliminate all forms of discrimination and promote evidence-based public discourse to "
           "shape perceptions of migration"),
    18: _l("Invest in skills development and facilitate mutual recognition of skills, "
           "qualifications and competences"),
    19: _l("Create conditions for migrants and diasporas to fully contribute to sustainable "
           "development in all countries"),
    20: _l("Promote faster, safer and cheaper transfer of remittances and foster financial "
           "inclusion of migrants"),
    21: _l("Cooperate in facilitating safe and dignified return and readmission, as well as "
           "sustainable reintegration"),
    22: _l("Establish mechanisms for the portability of social security entitlements and earned "
           "benefits"),
    23: _l("Strengthen international cooperation and global partnerships for safe, orderly and "
           "regular migration"),
}
# Iraq's national review names these of special significance (2 the most): shown first.
IRAQ_PRIORITY_OBJECTIVES = (2, 1, 3, 4, 11, 12, 14, 19, 21, 23)

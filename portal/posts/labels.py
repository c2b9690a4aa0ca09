"""Names of report reasons, decision reasons and moderation actions, in the reader's language
(a context processor gives them to every template, mail included)."""

from flask_babel import lazy_gettext as _l

from portal.posts.models import Action, DecisionReason, ReportReason

REPORT_REASON = {
    ReportReason.SPAM: _l("Spam"),
    ReportReason.ABUSE: _l("Abuse or harassment"),
    ReportReason.FALSE: _l("False information"),
    ReportReason.PERSONAL_DATA: _l("Someone's personal data is exposed"),
    ReportReason.OTHER: _l("Something else (say what below)"),
}
DECISION_REASON = {
    DecisionReason.FOLLOWS_RULES: _l("It follows the rules of the discussion"),
    DecisionReason.SPAM: _l("Spam or advertising"),
    DecisionReason.ABUSE: _l("Abuse or harassment"),
    DecisionReason.FALSE: _l("False information"),
    DecisionReason.PERSONAL_DATA: _l("It exposes someone's personal data"),
    DecisionReason.OFF_TOPIC: _l("Not about the council's community"),
    DecisionReason.OTHER: _l("Another reason (see the note)"),
}
MODERATION_ACTION = {
    Action.APPROVE: _l("Approved"),
    Action.REJECT: _l("Not published"),
    Action.DISMISS: _l("Reports dismissed"),
    Action.HIDE: _l("Hidden"),
    Action.HIDDEN_BY_REPORTS: _l("Hidden after members' reports"),
    Action.RESTORE: _l("Appeal granted: published again"),
    Action.UPHOLD: _l("Appeal refused"),
}


def template_labels() -> dict:
    return {"REPORT_REASON": REPORT_REASON, "DECISION_REASON": DECISION_REASON,
            "MODERATION_ACTION": MODERATION_ACTION}

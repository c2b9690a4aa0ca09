"""Forms of the ministry's review of needs reports: the list's filters (a GET form) and a
decision on one report. They only collect input; review.py decides."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional, ValidationError
from wtforms.widgets import HiddenInput

from portal.forms import BaseForm, QuickSelect, max_length, required
from portal.i18n import country_name, format_number, isolated, sort_key
from portal.needs.labels import GCM_OBJECTIVE, REPORT_STATUS, SECTOR
from portal.needs.models import SENT_STATUSES, ReportStatus, Sector, localized
from portal.needs.review import ReviewFilters

COMMENT_LENGTH = 2000

# The decision form's buttons: one for each status a report may move to.
STEP_LABEL = {
    ReportStatus.UNDER_REVIEW: _l("Begin the review"),
    ReportStatus.ACKNOWLEDGED: _l("Acknowledge"),
    ReportStatus.RETURNED: _l("Return for changes"),
    ReportStatus.IN_PROGRESS: _l("Mark as in progress"),
    ReportStatus.RESOLVED: _l("Mark as resolved"),
}


def _select(label) -> SelectField:
    # Hundreds of councils: options written without WTForms' per-option formatting.
    return SelectField(label, default="", choices=[], widget=QuickSelect())


def _number(value: str) -> int | None:
    return int(value) if value else None


class ReviewFilterForm(BaseForm):
    """Filters of /staff/needs/: choices are strings ("" for all), read by filters()."""

    class Meta:
        csrf = False  # a GET form: it changes nothing

    round = _select(_l("Round"))
    country = _select(_l("Country"))
    council = _select(_l("Council"))
    sector = _select(_l("Needs sector"))
    objective = _select(_l("GCM objective"))
    status = _select(_l("Status"))
    overdue = BooleanField(_l("Only overdue reports"))

    def __init__(self, *args, rounds=(), councils=(), locale: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.round.choices = _with_all(_("All rounds"), [
            (str(needs_round.id), _("%(round)s: %(survey)s", round=isolated(needs_round.label),
                                     survey=localized(survey.title, locale,
                                                      survey.default_locale)[0]))
            for needs_round, survey in rounds])
        codes = {code for _id, _name, code in councils}
        countries = sorted(((code, country_name(code)) for code in codes),
                           key=lambda pair: sort_key(pair[1]))
        self.country.choices = _with_all(_("All countries"), countries)
        self.council.choices = _with_all(_("All councils"),
                                         [(str(id_), name) for id_, name, _code in councils])
        self.sector.choices = _with_all(_("All sectors"), [
            (sector.value, str(SECTOR[sector])) for sector in Sector])
        self.objective.choices = _with_all(_("All objectives"), [
            (str(number), _("Objective %(number)s: %(title)s", number=format_number(number),
                            title=title)) for number, title in GCM_OBJECTIVE.items()])
        self.status.choices = _with_all(_("Every status"), [
            (status.value, str(REPORT_STATUS[status])) for status in SENT_STATUSES])

    def filters(self) -> ReviewFilters:
        return ReviewFilters(
            round_id=_number(self.round.data), country=self.country.data,
            council_id=_number(self.council.data),
            sector=Sector(self.sector.data) if self.sector.data else None,
            objective=_number(self.objective.data),
            status=ReportStatus(self.status.data) if self.status.data else None,
            overdue=self.overdue.data)

    def query(self) -> dict[str, str]:
        """The filters in use, for the links to other pages of the list."""
        return {field.name: "1" if field.data is True else field.data
                for field in self if field.data}


def _with_all(empty_label: str, pairs) -> list[SelectChoice]:
    return [SelectChoice("", empty_label)] + [SelectChoice(code, name) for code, name in pairs]


class DecisionForm(BaseForm):
    """A step for one report: the button pressed names the new status; ``revision`` is the
    report's as the page showed it, so that a decision taken on an older page is refused."""

    status = StringField(_l("New status"))
    comment = TextAreaField(_l("Comment for the council's leaders"),
                            validators=[Optional(), max_length(COMMENT_LENGTH)],
                            description=_l("Sent to the council's leaders with the new status. "
                                           "Required when you return the report: say what "
                                           "they should change."))
    revision = IntegerField(widget=HiddenInput(), validators=[required()])

    def validate_status(self, field):
        if field.data not in set(ReportStatus):
            raise ValidationError(_("Please choose one of the options."))

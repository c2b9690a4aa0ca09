"""Council forms."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, Optional, Regexp, ValidationError

from portal.councils.labels import REJECTION_REASON
from portal.councils.models import Council
from portal.councils.services import PlaceTexts
from portal.forms import (
    BaseForm,
    QuickSelect,
    email_address,
    in_language,
    max_length,
    required,
)
from portal.i18n import AUTONYMS, LOCALES, country_choices, text_direction


class CouncilForm(BaseForm):
    """A member proposes a council, writing in their own language."""

    name = StringField(_l("Name of the council"), validators=[required(), max_length(120)])
    country = SelectField(_l("Country"), validators=[required()], widget=QuickSelect())
    city = StringField(_l("City"), validators=[Optional(), max_length(80)],
                       description=_l("Leave empty for a council of the whole country."))
    description = TextAreaField(_l("Description"), validators=[Optional(), max_length(4000)],
                                description=_l("Who the council is for and how it works."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [SelectChoice("", "—")] + [
            SelectChoice(code, name) for code, name in country_choices()]


def _text_fields(code: str) -> dict:
    typed_in = {"lang": code, "dir": text_direction(code)}
    return {
        f"name_{code}": StringField(in_language(_l("Name of the council"), code),
                                    validators=[Optional(), max_length(120)], render_kw=typed_in),
        f"city_{code}": StringField(in_language(_l("City"), code),
                                    validators=[Optional(), max_length(80)], render_kw=typed_in),
        f"description_{code}": TextAreaField(in_language(_l("Description"), code),
                                             validators=[Optional(), max_length(4000)],
                                             render_kw=typed_in),
    }


class CouncilTextsForm(BaseForm):
    """Staff write a council's name, city and description in any of the portal's languages;
    its default language (the one its name was first written in) must have a name."""

    country = SelectField(_l("Country"), validators=[required()], widget=QuickSelect())
    default_locale = SelectField(
        _l("Default language"), choices=[SelectChoice(c, AUTONYMS[c]) for c in LOCALES],
        description=_l("Readers whose language has no translation see the texts in this one."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = [SelectChoice("", "—")] + [
            SelectChoice(code, name) for code, name in country_choices()]

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        name = self[f"name_{self.default_locale.data}"]  # a choice of LOCALES by now
        if not name.data:
            name.errors.append(_("Please give the council's name in its default language."))
            return False
        return True

    def texts(self) -> dict[str, PlaceTexts]:
        return {code: PlaceTexts(self[f"name_{code}"].data, self[f"city_{code}"].data,
                                 self[f"description_{code}"].data) for code in LOCALES}

    @staticmethod
    def data_of(council: Council) -> dict:
        """The form's values for an existing council."""
        data = {"country": council.country, "default_locale": council.default_locale}
        rows = [(council.default_locale, council), *((t.locale, t) for t in council.translations)]
        for code, row in rows:
            for field in ("name", "city", "description"):
                data[f"{field}_{code}"] = getattr(row, field)
        return data


# name_<locale>, city_<locale>, description_<locale> for each language (WTForms lets a form
# class take fields by setattr).
for _code in LOCALES:
    for _name, _field in _text_fields(_code).items():
        setattr(CouncilTextsForm, _name, _field)


class DecisionForm(BaseForm):
    """Staff approve or reject a proposed council, with a reason the proposer will read."""

    decision = SelectField(_l("Decision"), choices=[
        SelectChoice("approve", _l("Approve")), SelectChoice("reject", _l("Reject"))])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), max_length(1000)],
                           description=_l("Sent to the person concerned."))


class RequestDecisionForm(BaseForm):
    """A leader's decision on a request to join: two submit buttons named ``decision``
    (approve, reject), nothing chosen in advance. A rejection needs a reason from a list, so
    that the applicant reads it in their own language; the note is the leader's own words."""

    decision = SelectField(_l("Decision"), choices=[
        SelectChoice("approve", _l("Approve")), SelectChoice("reject", _l("Reject"))])
    reason = SelectField(
        _l("Reason for a rejection"), default="",
        choices=[SelectChoice("", "—")] + [SelectChoice(code, label)
                                           for code, label in REJECTION_REASON.items()],
        description=_l("Needed only to reject. The person reads it in their own language."))
    note = TextAreaField(_l("Note (optional)"), validators=[Optional(), max_length(1000)],
                         description=_l("In your own words. Sent to the person with the "
                                        "decision."))

    @property
    def approves(self) -> bool:
        return self.decision.data == "approve"

    def validate_reason(self, field) -> None:
        if self.decision.data == "reject" and not field.data:
            raise ValidationError(_("Please choose a reason for the rejection."))


class LeaveForm(BaseForm):
    """Leaving takes two steps: only the confirmation page (or the one-step withdrawal of a
    pending request) sends ``confirm=yes``; a bare POST is sent to that page first."""

    confirm = HiddenField(validators=[AnyOf(["yes"])])


class StatusForm(BaseForm):
    status = SelectField(_l("Status"), choices=[
        SelectChoice("active", _l("Active")), SelectChoice("suspended", _l("Suspended"))])


class LeaderForm(BaseForm):
    email = StringField(_l("Email address of the member"),
                        validators=[required(), max_length(254), email_address()])
    action = HiddenField(default="appoint")


class SearchForm(BaseForm):
    class Meta:
        csrf = False

    q = StringField(_l("City or name"), validators=[Optional(), max_length(100)])
    country = StringField(validators=[Optional(), Regexp(r"^[A-Za-z]{2}$")])


class MemberSearchForm(SearchForm):
    """A leader looks for one of their council's members."""

    q = StringField(_l("Name or email"), validators=[Optional(), max_length(100)])

"""Council forms."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from portal.forms import BaseForm, QuickSelect, email_address, max_length, required
from portal.i18n import country_choices


class CouncilForm(BaseForm):
    """Staff create and edit councils; members propose one with the same fields."""

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


class DecisionForm(BaseForm):
    """Approve or reject something, with a reason the person concerned will read."""

    decision = SelectField(_l("Decision"), choices=[
        SelectChoice("approve", _l("Approve")), SelectChoice("reject", _l("Reject"))])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), max_length(1000)],
                           description=_l("Sent to the person concerned."))


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

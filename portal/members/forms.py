"""Profile, sharing and account-deletion forms. They collect input only; services decide."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    PasswordField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import Optional, Regexp
from wtforms.widgets import CheckboxInput, ListWidget

from portal.auth.passwords import MAX_LENGTH as PASSWORD_MAX
from portal.forms import (
    BaseForm,
    QuickSelect,
    WholeNumberField,
    ascii_digit_filter,
    max_length,
    number_between,
    required,
)
from portal.i18n import (
    DEFAULT_TIME_ZONE,
    country_choices,
    country_time_zone,
    time_zone_choices,
    today,
    zone_name,
)
from portal.members.choices import (
    DOCUMENTATION_NEEDS,
    GOVERNORATES,
    RESIDENCE_STATUSES,
    SHAREABLE_FIELDS,
)

YEAR_LEFT_MIN = 1950
# An optional leading +, then digits, spaces, dashes and brackets, with 6 to 20 digits in all.
PHONE_PATTERN = r"^(?=(?:\D*\d){6,20}\D*$)\+?[\d\s()\-]+$"


def _options(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in labels.items()]


def _checkboxes(label, choices: list[SelectChoice], **kwargs) -> SelectMultipleField:
    return SelectMultipleField(label, choices=choices, widget=ListWidget(prefix_label=False),
                               option_widget=CheckboxInput(), **kwargs)


def _no_later_than_this_year(form, field):
    """1950 to the current year where the member is, read when the form is checked, not when
    the module loaded."""
    if field.data is not None:
        number_between(YEAR_LEFT_MIN, today().year)(form, field)


class ProfileForm(BaseForm):
    country = SelectField(_l("Country of residence"), validators=[Optional()],
                          widget=QuickSelect(),
                          render_kw={"autocomplete": "country"})
    city = StringField(_l("City"), validators=[Optional(), max_length(80)],
                       render_kw={"autocomplete": "address-level2"})
    governorate = SelectField(_l("Governorate of origin"), validators=[Optional()])
    year_left = WholeNumberField(_l("Year you left Iraq"),
                                 validators=[Optional(), _no_later_than_this_year])
    occupation = StringField(_l("Occupation"), validators=[Optional(), max_length(120)],
                             render_kw={"autocomplete": "organization-title"})
    skills = TextAreaField(
        _l("Skills"), validators=[Optional(), max_length(2000)],
        description=_l("For example a trade, a profession, or experience as a volunteer."),
    )
    languages = StringField(_l("Languages spoken"), validators=[Optional(), max_length(200)],
                            description=_l("For example: Arabic, Kurdish, English."))
    phone = TelField(
        _l("Phone"), filters=[ascii_digit_filter],
        validators=[Optional(), max_length(32), Regexp(PHONE_PATTERN, message=_l(
            "Please enter a phone number of 6 to 20 digits; you may use +, spaces, "
            "dashes and brackets."))],
        render_kw={"autocomplete": "tel"},
    )
    residence_status = RadioField(
        _l("Residence status"), validators=[Optional()],
        # One way to give no answer: it is stored as none, never as a code of its own.
        choices=[SelectChoice("", _l("I prefer not to say")), *_options(RESIDENCE_STATUSES)],
    )
    # No Optional() on checkbox groups: it would also wipe the error for an unknown value.
    documentation_needs = _checkboxes(_l("Documents you need"), _options(DOCUMENTATION_NEEDS))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Country names are in the viewer's language, so the list is built per request.
        empty = SelectChoice("", _("Choose…"))
        self.country.choices = [empty, *(SelectChoice(c, n) for c, n in country_choices())]
        self.governorate.choices = [empty, *_options(GOVERNORATES)]


class SharingForm(BaseForm):
    shared = _checkboxes(_l("What council leaders may see"), _options(SHAREABLE_FIELDS))


class DeleteAccountForm(BaseForm):
    password = PasswordField(_l("Your password"),
                             validators=[required(), max_length(PASSWORD_MAX)],
                             render_kw={"autocomplete": "current-password"})



class TimeZoneForm(BaseForm):
    time_zone = SelectField(_l("Time zone"), widget=QuickSelect(), description=_l(
        "Dates and times are shown in this time zone. Automatic: the zone of your country of "
        "residence, or Iraq's if you have not given one."))

    def __init__(self, *args, country: str | None = None, **kwargs):
        """``country``: the member's country of residence, whose zones come first and which
        gives the zone used when none is chosen."""
        super().__init__(*args, **kwargs)
        automatic = zone_name(country_time_zone(country) or DEFAULT_TIME_ZONE)
        self.time_zone.choices = [
            SelectChoice("", _("Automatic: %(zone)s", zone=automatic)),
            *(SelectChoice(zone, name) for zone, name in time_zone_choices([country, "IQ"]))]

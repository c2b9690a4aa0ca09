"""Filter forms of the staff tools. GET forms: no CSRF token, nothing is changed by them."""

from collections.abc import Sequence

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectChoice, SelectField, StringField
from wtforms.validators import Optional, ValidationError

from portal.forms import BaseForm, QuickSelect, max_length
from portal.i18n import country_choices, display_time_zone, sort_key
from portal.members.choices import GOVERNORATES
from portal.staff.services import AuditFilters, MemberFilters


def _text(label, limit: int, **kwargs):
    return StringField(label, validators=[Optional(), max_length(limit)], **kwargs)


def _select(label):
    # Hundreds of councils: options written without WTForms' per-option formatting.
    return SelectField(label, default="", choices=[], widget=QuickSelect())


def _with_empty(empty_label, pairs) -> list[SelectChoice]:
    return [SelectChoice("", empty_label)] + [SelectChoice(code, name) for code, name in pairs]


class _GetForm(BaseForm):
    class Meta:
        csrf = False


class MemberSearchForm(_GetForm):
    q = _text(_l("Name, email address or phone number"), 100, description=_l(
        "A name is found as it is written: its Latin spelling does not find the same name "
        "in Arabic script (Ahmed does not find أحمد), so try both."))
    country = SelectField(_l("Country of residence"), default="", choices=[],
                          widget=QuickSelect())
    city = _text(_l("City"), 80)
    council = _select(_l("Council"))
    governorate = _select(_l("Governorate of origin"))
    skills = _text(_l("Skills"), 100)

    def __init__(self, *args, councils: Sequence[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = _with_empty(_("All countries"), country_choices())
        self.council.choices = _with_empty(_("All councils"), councils)
        governorates = sorted(((code, str(name)) for code, name in GOVERNORATES.items()),
                              key=lambda pair: sort_key(pair[1]))
        self.governorate.choices = _with_empty(_("All governorates"), governorates)

    def filters(self) -> MemberFilters:
        return MemberFilters.from_mapping(self.data)


class AuditFilterForm(_GetForm):
    action = _text(_l("Action"), 64,
                   description=_l("For example members.exported, or moderation for every "
                                  "moderation action"))
    actor = _text(_l("Email address of the person who acted"), 254)
    date_from = DateField(_l("From (date)"), validators=[Optional()])
    date_to = DateField(_l("Until (date)"), validators=[Optional()])

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_("The end date is before the start date."))

    def filters(self) -> AuditFilters:
        return AuditFilters(self.action.data or "", self.actor.data or "",
                            self.date_from.data, self.date_to.data, display_time_zone())

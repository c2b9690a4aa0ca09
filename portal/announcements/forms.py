"""The staff's announcement form: a title and a text per language, the audience and the times.

Its field names are public (operators script them): ``title_<locale>``, ``body_<locale>``,
``default_locale``, ``audience``, ``countries``, ``councils``, ``pinned``, ``publish_at``,
``expires_at``, and the button ``action`` (draft, preview or publish).
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from portal.announcements.models import Audience
from portal.announcements.services import BODY_LENGTH, TITLE_LENGTH, Draft
from portal.councils.services import named_councils
from portal.forms import BaseForm, QuickSelect, in_language, max_length
from portal.i18n import AUTONYMS, LOCALES, country_choices, display_time_zone

ACTIONS = ("draft", "preview", "publish")


class _SlugsField(StringField):
    """Council slugs: one box of names separated by spaces or commas, or the field sent several
    times (councils=a&councils=b), as a script would."""

    def process_formdata(self, valuelist):
        self.data = " ".join(valuelist)


class _LocalTimeField(DateTimeLocalField):
    """A time typed in the staff member's own time zone, read as UTC."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, format=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"], **kwargs)

    def process_data(self, value):
        zone = ZoneInfo(display_time_zone())
        super().process_data(value.astimezone(zone).replace(tzinfo=None) if value else None)

    @property
    def utc(self) -> datetime | None:
        if self.data is None:
            return None
        return self.data.replace(tzinfo=ZoneInfo(display_time_zone())).astimezone(UTC)


class AnnouncementForm(BaseForm):
    default_locale = SelectField(_l("Default language"), choices=[
        SelectChoice(code, AUTONYMS[code], render_kw={"lang": code}) for code in LOCALES],
        description=_l("Readers whose language has no text read this one, with a note "
                       "saying which language it is in."))
    audience = RadioField(_l("Who it is for"), default=Audience.ALL.value, choices=[
        SelectChoice(Audience.ALL.value, _l("Everyone, visitors too")),
        SelectChoice(Audience.COUNTRIES.value, _l(
            "Members living in the countries chosen below, or belonging to a council there")),
        SelectChoice(Audience.COUNCILS.value, _l("The members of the councils named below"))])
    countries = SelectMultipleField(_l("Countries"), choices=[], validate_choice=False,
                                    widget=QuickSelect(multiple=True),
                                    render_kw={"size": 8})
    councils = _SlugsField(_l("Councils"), [Optional(), max_length(4000)],
                           description=_l("Their short names as in their addresses, such as "
                                          "tr-istanbul, separated by spaces or commas."))
    pinned = BooleanField(_l("Pin it above the others"))
    publish_at = _LocalTimeField(_l("Publish at"), [Optional()],
                                 description=_l("Empty: as soon as it is published."))
    expires_at = _LocalTimeField(_l("Expires at"), [Optional()],
                                 description=_l("Empty: it stays until it is archived."))
    revision = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.countries.choices = [SelectChoice(code, name) for code, name in country_choices()]

    def language_fields(self):
        """(locale, title field, body field) for each language."""
        return [(code, self[f"title_{code}"], self[f"body_{code}"]) for code in LOCALES]

    def draft(self) -> Draft:
        """What was written (DomainError when a council named does not exist)."""
        texts = {code: ((title.data or "").strip(), (body.data or "").strip())
                 for code, title, body in self.language_fields() if title.data or body.data}
        audience = Audience(self.audience.data) if self.audience.data in set(Audience) \
            else Audience.ALL
        return Draft(
            texts=texts, default_locale=self.default_locale.data, audience=audience,
            countries=[code for code in self.countries.data or [] if code],
            councils=named_councils(self.councils.data) if audience == Audience.COUNCILS else [],
            pinned=bool(self.pinned.data), publish_at=self.publish_at.utc,
            expires_at=self.expires_at.utc)

    def posted_revision(self) -> int | None:
        return int(self.revision.data) if (self.revision.data or "").isdigit() else None


for _code in LOCALES:
    setattr(AnnouncementForm, f"title_{_code}", StringField(
        in_language(_l("Title"), _code), [Optional(), max_length(TITLE_LENGTH)],
        render_kw={"lang": _code, "dir": "auto"}))
    setattr(AnnouncementForm, f"body_{_code}", TextAreaField(
        in_language(_l("Text"), _code), [Optional(), max_length(BODY_LENGTH)],
        description=_l("Markdown: *emphasis*, **strong**, lists, [links](https://…), "
                       "headings and quotes."),
        render_kw={"lang": _code, "dir": "auto", "rows": 8}))
del _code


class MailChoiceForm(BaseForm):
    announcements = RadioField(_l("Mail me the ministry's announcements"), choices=[
        SelectChoice("all", _l("Every announcement meant for me")),
        SelectChoice("none", _l("None: I read them on the portal"))])


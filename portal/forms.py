"""The base form and validators with messages from our own catalogues.

WTForms ships no Kurdish messages, so every validator here carries its own translated text.
"""

import re
from functools import lru_cache
from itertools import groupby
from operator import attrgetter

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    IntegerField,
    PasswordField,
    SelectChoice,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, ValidationError

from portal.i18n import AUTONYMS, ascii_digits, format_number

# WTForms' own messages, rerouted through our catalogues.
_WTFORMS_MESSAGES = {
    "Not a valid choice.": _l("Please choose one of the options."),
    "Invalid Choice: could not coerce.": _l("Please choose one of the options."),
    "Invalid choice(s): one or more data inputs could not be coerced.":
        _l("Please choose one of the options."),
    "'%(value)s' is not a valid choice for this field.": _l("Please choose one of the options."),
    "Not a valid integer value.": _l("Please enter a whole number, such as 2015."),
    "Not a valid decimal value.": _l("Please enter a number."),
    "Not a valid float value.": _l("Please enter a number."),
    "Not a valid date value.": _l("Please enter a date."),
    "Not a valid datetime value.": _l("Please enter a date and time."),
}


class _Translations:
    def gettext(self, message: str) -> str:
        return str(_WTFORMS_MESSAGES.get(message, message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


_CONTROL_CHARACTERS = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r") | {127: None}


def _clean(value):
    """Drop control characters (PostgreSQL refuses NUL; no field needs them) and outer spaces."""
    return value.translate(_CONTROL_CHARACTERS).strip() if isinstance(value, str) else value


_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029\u0085]+\s*")


def _one_line(value):
    """A name, a city, an address: one line, as typed into a one-line box (a pasted line break
    would otherwise travel into mail subjects and CSV rows)."""
    return _LINE_BREAKS.sub(" ", value) if isinstance(value, str) else value


class BaseForm(FlaskForm):
    """Cleans every text field with _clean, after the field's own filters (never passwords)."""

    class Meta:
        def get_translations(self, form):
            return _Translations()

        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if field_class is not PasswordField:
                declared = unbound_field.kwargs.get("filters", ())
                one_line = issubclass(field_class, StringField) and \
                    not issubclass(field_class, TextAreaField)
                options["filters"] = (*declared, *options.get("filters", ()), _clean,
                                      *([_one_line] if one_line else []))
            return unbound_field.bind(form=form, **options)

    def with_id_suffix(self, suffix) -> "BaseForm":
        """This form with each field's id, and its label's ``for``, ending in ``suffix``: for a
        form repeated on a page, where an id must be unique and a label names one field. The
        names, what the server reads, stay the same."""
        for f in self:
            f.id = f"{f.id}-{suffix}"
            f.label.field_id = f.id
        return self


# Stands for the id in a form written once and repeated on a page (a decision under each item
# of a list), filled in for each: a brace is in no CSRF token, field name or label.
ITEM_ID = "{item}"


class ConfirmForm(BaseForm):
    """A form with nothing but its CSRF token, for one-button POST actions."""


def in_language(label, code: str) -> LazyString:
    """"Name of the council (العربية)": the label in the reader's language, the language
    named in itself, for a text that is written once per language."""
    return LazyString(lambda: f"{label} ({AUTONYMS[code]})")


def required(message=None):
    return DataRequired(message or _l("Please fill in this field."))


def _length_text(low: int, high: int) -> str:
    if low > 0:
        return ngettext("Please use between %(min)s and %(max)s character.",
                        "Please use between %(min)s and %(max)s characters.", high,
                        min=format_number(low), max=format_number(high))
    return ngettext("Please use at most %(max)s character.",
                    "Please use at most %(max)s characters.", high, max=format_number(high))


def length_message(low: int, high: int) -> LazyString:
    """"Please use between 10 and 128 characters.": the plural form the upper bound needs (Arabic
    has six), both bounds in the reader's digits (١٠ in Sorani), as the hints beside them.
    Lazy, so that it is written in the language of whoever reads it."""
    return LazyString(_length_text, low, high)


def number_message(low: int, high: int) -> LazyString:
    """"Please enter a number between 1950 and 2026.", both bounds in the reader's digits (and
    not grouped: the bounds are often years)."""
    return LazyString(lambda: gettext("Please enter a number between %(min)s and %(max)s.",
                                      min=format_number(low, grouping=False),
                                      max=format_number(high, grouping=False)))


class _Length(Length):
    def __call__(self, form, field):
        try:
            super().__call__(form, field)
        except ValidationError:
            raise ValidationError(str(length_message(max(self.min, 0), self.max))) from None


class _NumberRange(NumberRange):
    def __call__(self, form, field):
        try:
            super().__call__(form, field)
        except ValidationError:
            raise ValidationError(str(number_message(self.min, self.max))) from None


def max_length(limit: int):
    return _Length(max=limit)


def length_between(low: int, high: int):
    return _Length(min=low, max=high)


def email_address():
    return Email(_l("Please enter an email address such as name@example.com."))


def number_between(low: int, high: int):
    return _NumberRange(low, high)


def ascii_digit_filter(value):
    """A field filter: digits typed on an Arabic or Persian keyboard stored as ASCII."""
    return ascii_digits(value) if isinstance(value, str) else value


class WholeNumberField(IntegerField):
    """A whole number typed in any digits our readers use (١٩٩٥, ۱۹۹۵, 1995).

    A text input with a numeric keyboard, not <input type=number>, which some browsers empty
    when the digits are not ASCII; the digits are made ASCII before they are read."""

    widget = widgets.TextInput()

    def __init__(self, *args, render_kw=None, **kwargs):
        super().__init__(*args, render_kw={"inputmode": "numeric", **(render_kw or {})},
                         **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata([ascii_digits(value) for value in valuelist])


class QuickSelect(widgets.Select):
    """A <select> for long lists (every country, every council): the same HTML as WTForms'
    widget, the options written once per list and language and reused, with the chosen one
    marked — WTForms' per-option formatting made /me ten times slower. Consecutive choices
    with the same ``optgroup`` are an option group, as in WTForms."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        if "required" not in kwargs and "required" in getattr(field, "flags", []):
            kwargs["required"] = True
        if self.multiple:
            kwargs["multiple"] = True
        choices = map(SelectChoice.from_input, field.choices)
        options = "".join(_options(group, tuple((str(c.value), str(c.label)) for c in items))
                          for group, items in groupby(choices, key=attrgetter("optgroup")))
        chosen = field.data if isinstance(field.data, list | tuple) else [field.data]
        for value in map(escape, map(str, filter(lambda data: data is not None, chosen))):
            options = options.replace(f'<option value="{value}">',
                                      f'<option selected value="{value}">', 1)
        # Safe: every value is escaped in _options, and html_params escapes the attributes.
        return Markup(f"<select {widgets.html_params(name=field.name, **kwargs)}>"  # noqa: S704  # nosec B704
                      f"{options}</select>")


@lru_cache(maxsize=64)
def _options(group: str | None, choices: tuple[tuple[str, str], ...]) -> str:
    options = "".join(f'<option value="{escape(value)}">{escape(label)}</option>'
                      for value, label in choices)
    return options if group is None else f'<optgroup label="{escape(group)}">{options}</optgroup>'

"""The base form and validators with messages from our own catalogues.

WTForms ships no Kurdish messages, so every validator here carries its own translated text.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import PasswordField, widgets
from wtforms.validators import DataRequired, Email, Length, NumberRange

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


class BaseForm(FlaskForm):
    """Cleans every text field with _clean, after the field's own filters (never passwords)."""

    class Meta:
        def get_translations(self, form):
            return _Translations()

        def bind_field(self, form, unbound_field, options):
            if unbound_field.field_class is not PasswordField:
                declared = unbound_field.kwargs.get("filters", ())
                options["filters"] = (*declared, *options.get("filters", ()), _clean)
            return unbound_field.bind(form=form, **options)


class ConfirmForm(BaseForm):
    """A form with nothing but its CSRF token, for one-button POST actions."""


def required(message=None):
    return DataRequired(message or _l("Please fill in this field."))


def max_length(limit: int):
    return Length(max=limit, message=_l("Please use at most %(max)d characters."))


def length_between(low: int, high: int):
    return Length(min=low, max=high,
                  message=_l("Please use between %(min)d and %(max)d characters."))


def email_address():
    return Email(_l("Please enter an email address such as name@example.com."))


def number_between(low: int, high: int):
    return NumberRange(low, high, _l("Please enter a number between %(min)s and %(max)s."))


class QuickSelect(widgets.Select):
    """A <select> for long lists (every country): the same HTML as WTForms' widget, built
    without per-option attribute formatting, which made /me ten times slower."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("id", field.id)
        if "required" not in kwargs and "required" in getattr(field, "flags", []):
            kwargs["required"] = True
        current = None if field.data is None else str(field.data)
        options = "".join(
            f'<option{" selected" if str(choice.value) == current else ""} '
            f'value="{escape(choice.value)}">{escape(choice.label)}</option>'
            for choice in field.choices)
        # Safe: every value is escaped above, and html_params escapes the attributes.
        return Markup(f"<select {widgets.html_params(name=field.name, **kwargs)}>"  # noqa: S704  # nosec B704
                      f"{options}</select>")
